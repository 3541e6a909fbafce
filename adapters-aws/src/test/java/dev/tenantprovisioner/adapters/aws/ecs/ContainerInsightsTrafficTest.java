package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The Container Insights traffic reader against a WireMock CloudWatch Logs: the real signer and HTTP client send
 * {@code FilterLogEvents} (JSON 1.1, {@code X-Amz-Target: Logs_20140328.FilterLogEvents}), and the answers are shaped
 * as the API reference shows them (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html:
 * {@code events[].logStreamName, timestamp, message, ingestionTime, eventId}, {@code nextToken}; errors as
 * {@code __type} and {@code message}), each event's message a task event as the CloudWatch user guide's "Container
 * Insights performance log events for Amazon ECS" prints it (Type Task, TaskId, ClusterName, NetworkRxBytes...).
 */
class ContainerInsightsTrafficTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/tenants";
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

    private ContainerInsightsTraffic reader() {
        return new ContainerInsightsTraffic(
                EcsClients.httpClient(),
                Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLETEST", "test-secret")),
                URI.create(server.baseUrl()),
                CLUSTER_ARN,
                Duration.ofHours(1),
                clock,
                // No real pauses in these tests; their growth is checked on its own below.
                new Retries(4, Duration.ZERO));
    }

    /**
     * A throttled FilterLogEvents as it comes over the wire: HTTP 400 with {@code __type} ThrottlingException and
     * "Rate exceeded" (the CloudWatch Logs model defines ThrottlingException without a status code, so JSON 1.1 sends
     * 400; seen on the wire in https://github.com/maxbanton/cwh/issues/120 and, for FilterLogEvents, in
     * https://github.com/GSA/notifications-api/issues/1140). The quota behind it: 5 requests per second per account
     * and Region, not adjustable (CloudWatch Logs user guide, quotas).
     */
    private static final String THROTTLED = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

    private static MappingBuilder filterLogEvents() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.FilterLogEvents"));
    }

    private static String taskEvent(String taskId, Instant at, long rxBytes) {
        String message = "{\"Version\":\"0\",\"Type\":\"Task\",\"TaskId\":\"" + taskId + "\","
                + "\"TaskDefinitionFamily\":\"tenant-app\",\"TaskDefinitionRevision\":\"3\","
                + "\"ContainerInstanceId\":\"0d7650e6dec34c1a9200f72098071e8f\",\"EC2InstanceId\":\"i-0c470579dbcdbd2f3\","
                + "\"ClusterName\":\"tenants\",\"Timestamp\":" + at.toEpochMilli() + ",\"CpuUtilized\":0.2,"
                + "\"CpuReserved\":128.0,\"MemoryUtilized\":41,\"MemoryReserved\":256,\"NetworkRxBytes\":" + rxBytes
                + ",\"NetworkRxPackets\":3,\"NetworkTxBytes\":210,\"NetworkTxPackets\":3}";
        return "{\"logStreamName\":\"AgentTelemetry-0d7650e6dec34c1a9200f72098071e8f\",\"timestamp\":"
                + at.toEpochMilli() + ",\"message\":" + quote(message) + ",\"ingestionTime\":"
                + (at.toEpochMilli() + 900) + ",\"eventId\":\"3769" + at.toEpochMilli() + "\"}";
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(MappingBuilder call, int status, String body) {
        server.stubFor(call.willReturn(aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(body)));
    }

    private static Lease runningOn(String taskId) {
        return Lease.granted(
                        TenantId.of("t-" + taskId.substring(0, 4)),
                        Email.of("a@example.com"),
                        HostPort.of(3000),
                        Optional.empty(),
                        NOW.minus(Duration.ofDays(1)))
                .started(TaskId.of("arn:aws:ecs:us-east-1:123456789012:task/tenants/" + taskId), NOW);
    }

    @Test
    void givenTaskEventsOnTwoPages_whenAsked_thenEachTasksLatestTrafficAndOneSignedQueryPerPage() throws Exception {
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$[?(!@.nextToken)]")),
                200,
                "{\"events\":[" + taskEvent("aaaa1111", NOW.minusSeconds(3000), 512) + ","
                        + taskEvent("bbbb2222", NOW.minusSeconds(1200), 90) + "],"
                        + "\"searchedLogStreams\":[],\"nextToken\":\"page-2\"}");
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$.nextToken", equalTo("page-2"))),
                200,
                "{\"events\":[" + taskEvent("aaaa1111", NOW.minusSeconds(60), 40) + ","
                        + "{\"logStreamName\":\"x\",\"timestamp\":" + NOW.toEpochMilli()
                        + ",\"message\":\"not a performance event\",\"eventId\":\"1\"}],\"searchedLogStreams\":[]}");
        ContainerInsightsTraffic reader = reader();

        assertThat(reader.lastActivity(runningOn("aaaa1111"))).contains(NOW.minusSeconds(60));
        assertThat(reader.lastActivity(runningOn("bbbb2222"))).contains(NOW.minusSeconds(1200));
        assertThat(reader.lastActivity(runningOn("cccc3333")))
                .as("no traffic seen")
                .isEmpty();

        var requests = server.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(2);
        JsonNode first = JSON.readTree(requests.get(0).getBodyAsString());
        assertThat(first.get("logGroupName").asText()).isEqualTo("/aws/ecs/containerinsights/tenants/performance");
        assertThat(first.get("startTime").asLong())
                .isEqualTo(NOW.minus(Duration.ofHours(1)).toEpochMilli());
        assertThat(first.get("endTime").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(first.get("filterPattern").asText()).isEqualTo("{ $.Type = \"Task\" && $.NetworkRxBytes > 0 }");
        server.verify(
                2,
                postRequestedFor(urlEqualTo("/"))
                        .withHeader("Content-Type", containing("application/x-amz-json-1.1"))
                        .withHeader(
                                "Authorization",
                                matching(
                                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETEST/\\d{8}/us-east-1/logs/aws4_request, "
                                                + "SignedHeaders=\\S*x-amz-target\\S*, Signature=[0-9a-f]{64}")));
    }

    @Test
    void givenOneRound_whenManyTenantsAreAsked_thenOneQueryUntilTheAnswerIsAMinuteOld() {
        answer(filterLogEvents(), 200, "{\"events\":[],\"searchedLogStreams\":[]}");
        ContainerInsightsTraffic reader = reader();

        reader.lastActivity(runningOn("aaaa1111"));
        reader.lastActivity(runningOn("bbbb2222"));
        clock.set(NOW.plusSeconds(59));
        reader.lastActivity(runningOn("cccc3333"));
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);

        clock.set(NOW.plusSeconds(60));
        reader.lastActivity(runningOn("aaaa1111"));
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }

    @Test
    void givenThrottlingThatPasses_whenARoundIsRead_thenThePageIsAskedAgainAndAnswered() {
        server.stubFor(filterLogEvents()
                .inScenario("throttled")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(THROTTLED))
                .willSetStateTo("calm"));
        server.stubFor(filterLogEvents()
                .inScenario("throttled")
                .whenScenarioStateIs("calm")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"events\":[" + taskEvent("aaaa1111", NOW.minusSeconds(30), 64)
                                + "],\"searchedLogStreams\":[]}")));

        var round = reader().snapshot();

        assertThat(round.lastActivity(runningOn("aaaa1111"))).contains(NOW.minusSeconds(30));
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }

    @Test
    void givenThrottlingThatLasts_whenFiveTenantsAreAskedInOneRound_thenOnlyTheBoundedRetriesGoOut() {
        answer(filterLogEvents(), 400, THROTTLED);
        ContainerInsightsTraffic reader = reader();

        for (String task : new String[] {"aaaa1111", "bbbb2222", "cccc3333", "dddd4444", "eeee5555"}) {
            assertThatThrownBy(() -> reader.lastActivity(runningOn(task)))
                    .isInstanceOfSatisfying(
                            InfrastructureException.class,
                            e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("ThrottlingException: Rate exceeded")
                    .hasMessageContaining("after 4 attempts");
        }

        assertThat(server.findAll(postRequestedFor(urlEqualTo("/"))))
                .as("one read of four attempts, remembered for the round, not one read per tenant")
                .hasSize(4);
    }

    @Test
    void givenEmptyPagesThatCarryATokenTheLastOneWithout_whenRead_thenEveryPageIsFollowedToTheEnd() {
        // FilterLogEvents API reference: "A returned page might only be partially full, or even empty ... Partially
        // full or empty pages don't necessarily mean that pagination is finished. If the results include a nextToken,
        // there might be more log events available."
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$[?(!@.nextToken)]")),
                200,
                "{\"events\":[],\"searchedLogStreams\":[],\"nextToken\":\"t-1\"}");
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$.nextToken", equalTo("t-1"))),
                200,
                "{\"events\":[],\"searchedLogStreams\":[],\"nextToken\":\"t-2\"}");
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$.nextToken", equalTo("t-2"))),
                200,
                "{\"events\":[],\"nextToken\":\"t-3\"}");
        answer(
                filterLogEvents().withRequestBody(matchingJsonPath("$.nextToken", equalTo("t-3"))),
                200,
                "{\"events\":[" + taskEvent("bbbb2222", NOW.minusSeconds(600), 2048) + "],\"searchedLogStreams\":[]}");

        var round = reader().snapshot();

        assertThat(round.lastActivity(runningOn("bbbb2222"))).contains(NOW.minusSeconds(600));
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(4);
    }

    @Test
    void givenTheDefaultRetries_thenEachPauseDoublesWithAJitteredSecondHalf() {
        Retries retries = Retries.DEFAULT;
        java.util.Random random = new java.util.Random(42);

        for (int retry = 1; retry < retries.attempts(); retry++) {
            long full = 250L << (retry - 1);
            for (int draw = 0; draw < 50; draw++) {
                assertThat(retries.pause(retry, random).toMillis()).isBetween(full / 2, full);
            }
        }
        assertThat(retries.attempts()).isEqualTo(4);
    }

    @Test
    void givenLeaseWithoutTask_whenAsked_thenEmptyWithoutACall() {
        Lease allocated =
                Lease.granted(TenantId.of("t-1"), Email.of("a@example.com"), HostPort.of(3000), Optional.empty(), NOW);

        assertThat(reader().lastActivity(allocated)).isEmpty();
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/")))).isEmpty();
    }

    @Test
    void givenContainerInsightsOff_whenAsked_thenAPermanentFailureSayingToTurnItOn() {
        answer(
                filterLogEvents(),
                400,
                "{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log group does not exist.\"}");

        assertThatThrownBy(() -> reader().lastActivity(runningOn("aaaa1111")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("/aws/ecs/containerinsights/tenants/performance")
                .hasMessageContaining("turn Container Insights on");
    }

    @Test
    void givenThrottlingOrAnUnreadableAnswer_whenAsked_thenRetryableFailures() {
        answer(
                filterLogEvents(),
                400,
                "{\"__type\":\"com.amazonaws.logs#ThrottlingException\",\"message\":\"Rate exceeded\"}");
        assertThatThrownBy(() -> reader().lastActivity(runningOn("aaaa1111")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("ThrottlingException: Rate exceeded");

        server.resetAll();
        answer(filterLogEvents(), 502, "<html>Bad Gateway</html>");
        assertThatThrownBy(() -> reader().lastActivity(runningOn("aaaa1111")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("unreadable");
    }

    @Test
    void givenClusterNameOrArn_thenTheSameLogGroup() {
        assertThat(ContainerInsightsTraffic.logGroup("tenants"))
                .isEqualTo(ContainerInsightsTraffic.logGroup(CLUSTER_ARN))
                .isEqualTo("/aws/ecs/containerinsights/tenants/performance");
        assertThat(ContainerInsightsTraffic.endpointFor(Region.EU_WEST_1))
                .isEqualTo(URI.create("https://logs.eu-west-1.amazonaws.com"));
    }
}
