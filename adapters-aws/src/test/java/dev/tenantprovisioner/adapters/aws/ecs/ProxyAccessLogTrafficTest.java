package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.ManualClock;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The proxy's access log read at the wire: the real signer and HTTP client send {@code FilterLogEvents} to a WireMock
 * CloudWatch Logs that answers as the API reference shows ({@code events[].logStreamName, timestamp, message,
 * ingestionTime, eventId}, {@code nextToken}; API_FilterLogEvents.html), each message a line as Caddy writes it: an
 * access line ({@code "logger":"http.log.access.tenants","msg":"handled request","request":{"host":...},"status":...};
 * Caddy's modules/caddyhttp/server.go, "handled request") or the config loader's line of each poll
 * ({@code "logger":"config_loader","msg":"dynamically-loaded config was unchanged; will retry"}; caddy.go), as the
 * awslogs driver ships the proxy's standard output.
 */
class ProxyAccessLogTrafficTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private final ManualClock clock = new ManualClock(NOW);

    {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private ProxyAccessLogTraffic reader() {
        return new ProxyAccessLogTraffic(
                EcsClients.httpClient(),
                Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLETEST", "test-secret")),
                URI.create(server.baseUrl()),
                "stack-ProxyLogGroup-1A2B",
                IDLE,
                Duration.ofMinutes(3),
                clock,
                new Retries(4, Duration.ZERO));
    }

    private static MappingBuilder filterLogEvents() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.FilterLogEvents"));
    }

    private static String event(Instant at, String message) {
        return "{\"logStreamName\":\"proxy/proxy/5c2b6f1e0f3d4a1b9e8d7c6b5a4f3e2d\",\"timestamp\":" + at.toEpochMilli()
                + ",\"message\":" + quote(message) + ",\"ingestionTime\":" + (at.toEpochMilli() + 700)
                + ",\"eventId\":\"3770" + at.toEpochMilli() + "\"}";
    }

    private static String visit(String host, Instant at) {
        return event(
                at,
                "{\"level\":\"info\",\"ts\":" + at.getEpochSecond() + ".25,\"logger\":\"http.log.access.tenants\","
                        + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.0.0\",\"proto\":\"HTTP/2.0\","
                        + "\"method\":\"GET\",\"host\":\"" + host + "\",\"uri\":\"/\"},\"user_id\":\"\","
                        + "\"duration\":0.0021,\"size\":912,\"status\":200}");
    }

    private static String poll(Instant at) {
        return event(
                at,
                "{\"level\":\"info\",\"ts\":" + at.getEpochSecond() + ".5,\"logger\":\"config_loader\","
                        + "\"msg\":\"dynamically-loaded config was unchanged; will retry\",\"module\":\"http\","
                        + "\"load_delay\":10000000000}");
    }

    /** The loader's line every ten seconds over the whole window: the proxy was up throughout. */
    private static List<String> proxyUpThroughout() {
        List<String> polls = new ArrayList<>();
        for (Instant at = NOW.minus(IDLE); !at.isAfter(NOW); at = at.plusSeconds(10)) {
            polls.add(poll(at));
        }
        return polls;
    }

    private static String page(List<String> events, String nextToken) {
        return "{\"events\":[" + String.join(",", events) + "]"
                + (nextToken == null ? "" : ",\"nextToken\":\"" + nextToken + "\"") + ",\"searchedLogStreams\":[]}";
    }

    private void answer(String body) {
        server.stubFor(filterLogEvents()
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Lease tenant(String id) {
        return Lease.granted(TenantId.of(id), Email.of("a@example.com"), HostPort.of(3000), Optional.empty(), NOW);
    }

    @Test
    void givenVisitsInTheWindow_whenRead_thenEachTenantsLastVisitComesFromItsNameWhateverFormItTakes() {
        List<String> events = new ArrayList<>(proxyUpThroughout());
        events.add(visit("alice.54-1-2-3.sslip.io", NOW.minusSeconds(600)));
        events.add(visit("alice.54-1-2-3.sslip.io", NOW.minusSeconds(120)));
        events.add(visit("bob.tenants.example.com", NOW.minusSeconds(900)));
        events.add(visit("mallory.evil.example", NOW.minusSeconds(60)));
        answer(page(events, null));

        TrafficMonitor round = reader().snapshot();

        assertThat(round.lastActivity(tenant("alice"))).contains(NOW.minusSeconds(120));
        assertThat(round.lastActivity(tenant("bob"))).contains(NOW.minusSeconds(900));
        assertThat(round.lastActivity(tenant("carol"))).isEmpty();
    }

    @Test
    void givenARound_whenRead_thenOneFilterOverTheIdleWindowForAccessAndLoaderLines() {
        answer(page(proxyUpThroughout(), null));

        reader().snapshot();

        server.verify(
                1,
                postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(matchingJsonPath("$.logGroupName", equalTo("stack-ProxyLogGroup-1A2B")))
                        .withRequestBody(matchingJsonPath(
                                "$.startTime",
                                equalTo(Long.toString(NOW.minus(IDLE).toEpochMilli()))))
                        .withRequestBody(matchingJsonPath("$.endTime", equalTo(Long.toString(NOW.toEpochMilli()))))
                        .withRequestBody(matchingJsonPath(
                                "$.filterPattern",
                                equalTo("{ ($.logger = \"http.log.access.tenants\") || ($.logger = \"config_loader\")"
                                        + " }"))));
    }

    @Test
    void givenAProxyThatWasSilentForThePartOfTheWindow_whenRead_thenTheRoundSuspendsNobody() {
        // The proxy came up ten minutes ago: for twenty minutes no visit could have reached anyone.
        List<String> events = new ArrayList<>();
        for (Instant at = NOW.minusSeconds(600); !at.isAfter(NOW); at = at.plusSeconds(10)) {
            events.add(poll(at));
        }
        answer(page(events, null));

        assertThatThrownBy(() -> reader().snapshot())
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("the proxy was not heard from near both ends")
                .hasMessageContaining("nobody is suspended this round");
    }

    @Test
    void givenAProxyThatFellSilent_whenRead_thenTheRoundSuspendsNobody() {
        List<String> events = new ArrayList<>();
        for (Instant at = NOW.minus(IDLE); at.isBefore(NOW.minusSeconds(600)); at = at.plusSeconds(10)) {
            events.add(poll(at));
        }
        answer(page(events, null));

        assertThatThrownBy(() -> reader().snapshot()).isInstanceOf(InfrastructureException.class);
    }

    @Test
    void givenNoLogGroup_whenRead_thenAnErrorThatNamesTheSetting() {
        server.stubFor(filterLogEvents()
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ResourceNotFoundException\","
                                + "\"message\":\"The specified log group does not exist.\"}")));

        assertThatThrownBy(() -> reader().snapshot())
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("PROXY_LOG_GROUP");
    }

    @Test
    void givenHostNames_whenTheirTenantIsTaken_thenTheFirstLabelIfItIsATenantId() {
        assertThat(ProxyAccessLogTraffic.tenantOf("alice.54-1-2-3.sslip.io")).contains("alice");
        assertThat(ProxyAccessLogTraffic.tenantOf("alice.localhost:8088")).contains("alice");
        assertThat(ProxyAccessLogTraffic.tenantOf("Not_A_Tenant.example")).isEmpty();
        assertThat(ProxyAccessLogTraffic.tenantOf("x-10-0-0-1.sslip.io")).isEmpty();
    }
}
