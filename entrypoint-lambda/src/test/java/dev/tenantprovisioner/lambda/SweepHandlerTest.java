package dev.tenantprovisioner.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tenantprovisioner.adapters.aws.ecs.ContainerInsightsTraffic;
import dev.tenantprovisioner.adapters.aws.ecs.EcsClients;
import dev.tenantprovisioner.adapters.aws.ecs.Retries;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.lambda.wiring.IdleSweep;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class SweepHandlerTest {

    private static final Map<String, Object> SCHEDULED =
            Map.of("detail-type", "Scheduled Event", "source", "aws.events");

    private final Fixture fixture = new Fixture();

    /** The sweep as the schedule runs it, {@code later} after now (so leases touched now count as idle). */
    private SweepHandler sweepRunning(Duration later) {
        Clock clock = Clock.fixed(Instant.now().plus(later), ZoneOffset.UTC);
        ResumeStalledTenants sweep = new ResumeStalledTenants(
                fixture.adapters.registry,
                fixture.adapters.runtime,
                fixture.adapters.mailer,
                ProvisioningPolicy.defaults(),
                clock);
        return new SweepHandler(
                sweep,
                fixture.injector.getInstance(ResumeStalledTenants.Sweep.class),
                fixture.injector.getInstance(LogOutput.class));
    }

    private void abandonAfterAllocation(String tenant) {
        fixture.adapters.registry.allocate(TenantId.of(tenant), Email.of(tenant + "@example.com"), false);
    }

    @Test
    void givenTheScheduledWarmup_whenInvoked_thenNoSweepRunsAndNoLineIsWritten() {
        abandonAfterAllocation("user-1");

        String result = sweepRunning(Duration.ofMinutes(10)).handleRequest(Map.of("warmup", true), null);

        assertThat(result).isEqualTo("warm");
        assertThat(fixture.adapters.logLines()).isEmpty();
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .as("an abandoned provision a real sweep would finish")
                .isEqualTo(TenantState.PORT_ALLOCATED);
    }

    @Test
    void givenLeaseTouchedAMomentAgo_whenSwept_thenSkippedAndOneLine() {
        abandonAfterAllocation("user-1");

        String result = sweepRunning(Duration.ZERO).handleRequest(SCHEDULED, null);

        // The lease was touched a moment ago, so the sweep leaves it to its caller.
        assertThat(result).isEqualTo("examined 1, resumed 0, still failing 0, ports freed 0");
        assertThat(fixture.adapters.logLines())
                .singleElement()
                .asString()
                .contains("\"route\":\"sweep\"", "\"examined\":1", "\"level\":\"INFO\"");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.PORT_ALLOCATED);
    }

    @Test
    void givenProvisionAbandonedLongAgo_whenSwept_thenResumedToRunningAndEmailed() {
        abandonAfterAllocation("user-1");

        String result = sweepRunning(Duration.ofMinutes(10)).handleRequest(SCHEDULED, null);

        assertThat(result).isEqualTo("examined 1, resumed 1, still failing 0, ports freed 0");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.RUNNING);
        assertThat(fixture.adapters.mailer.delivered()).hasSize(1);
        assertThat(fixture.adapters.logLines())
                .singleElement()
                .asString()
                .contains("\"resumed\":1", "\"level\":\"INFO\"");
    }

    @Test
    void givenRuntimeStillDown_whenSwept_thenStillFailingCountedAndTheLineWarns() {
        abandonAfterAllocation("user-1");
        fixture.adapters.runtime.failNextCall(new InfrastructureException("ECS 503", true));

        String result = sweepRunning(Duration.ofMinutes(10)).handleRequest(SCHEDULED, null);

        assertThat(result).isEqualTo("examined 1, resumed 0, still failing 1, ports freed 0");
        assertThat(fixture.adapters.logLines())
                .singleElement()
                .asString()
                .contains("\"stillFailing\":1", "\"level\":\"WARN\"")
                .contains("\"SweepBacklog\":1", "\"Name\":\"SweepBacklog\"");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.PORT_ALLOCATED);
    }

    /** The sweep with idle suspension after an hour, traffic as {@code monitor} reports it. */
    private SweepHandler sweepSuspendingIdle(TrafficMonitor monitor) {
        return sweepSuspendingIdle(monitor, Clock.systemUTC());
    }

    private SweepHandler sweepSuspendingIdle(TrafficMonitor monitor, Clock clock) {
        SuspendIdleTenants idle = new SuspendIdleTenants(
                fixture.adapters.registry,
                new SuspendTenant(fixture.adapters.registry, fixture.adapters.runtime, ProvisioningPolicy.defaults()),
                monitor,
                Duration.ofHours(1),
                clock);
        ResumeStalledTenants sweep = new ResumeStalledTenants(
                fixture.adapters.registry,
                fixture.adapters.runtime,
                fixture.adapters.mailer,
                ProvisioningPolicy.defaults(),
                Clock.systemUTC());
        return new SweepHandler(
                sweep,
                fixture.injector.getInstance(ResumeStalledTenants.Sweep.class),
                fixture.injector.getInstance(LogOutput.class),
                new IdleSweep(Optional.of(idle)));
    }

    private void running(String tenant) {
        fixture.send(Fixture.authorized("POST", "/provision", Fixture.provisionBody(tenant, tenant + "@example.com")));
        fixture.taskRunningEvent(tenant);
    }

    @Test
    void givenIdleSuspension_whenSwept_thenOnlyTheTenantWithoutRecentTrafficIsSuspendedAndCounted() {
        running("busy");
        running("quiet");
        Instant now = Instant.now();
        TrafficMonitor traffic = lease -> Optional.of(
                lease.tenant().value().equals("busy")
                        ? now.minus(Duration.ofMinutes(5))
                        : now.minus(Duration.ofHours(2)));

        String result = sweepSuspendingIdle(traffic).handleRequest(SCHEDULED, null);

        assertThat(result).endsWith("; idle: running 2, suspended 1, traffic unknown 0");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("quiet"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.SUSPENDED);
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("busy"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.RUNNING);
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"idleSuspended\":1", "\"idleUnknown\":0", "\"level\":\"INFO\"");
    }

    @Test
    void givenTrafficThatCannotBeRead_whenSwept_thenNobodyIsSuspendedAndTheLineWarns() {
        running("quiet");
        TrafficMonitor off = lease -> {
            throw new InfrastructureException("no log group: turn Container Insights on", false);
        };

        String result = sweepSuspendingIdle(off).handleRequest(SCHEDULED, null);

        assertThat(result).endsWith("; idle: running 1, suspended 0, traffic unknown 1");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("quiet"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.RUNNING);
        assertThat(fixture.adapters.logLines()).last().asString().contains("\"idleUnknown\":1", "\"level\":\"WARN\"");
    }

    @Test
    void givenFiveRunningTenantsAndCloudWatchLogsThrottling_whenSwept_thenOneBoundedReadAndNobodySuspended() {
        // CloudWatch Logs at the wire, throttling every FilterLogEvents as AWS does past its quota of 5 requests per
        // second per account and Region ("This quota can't be changed", CloudWatch Logs user guide, quotas): HTTP 400,
        // {"__type":"ThrottlingException","message":"Rate exceeded"} (JSON 1.1; the model gives the error no status).
        WireMockServer logs =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        logs.start();
        try {
            logs.stubFor(post(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("Logs_20140328.FilterLogEvents"))
                    .willReturn(aResponse()
                            .withStatus(400)
                            .withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
            for (int tenant = 1; tenant <= 5; tenant++) {
                running("idle-" + tenant);
            }
            // Two hours on, none of them seen receiving anything: each would be suspended on a "no traffic" answer.
            Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
            ContainerInsightsTraffic traffic = new ContainerInsightsTraffic(
                    EcsClients.httpClient(),
                    Region.EU_WEST_1,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLETEST", "test-secret")),
                    URI.create(logs.baseUrl()),
                    "tenants",
                    Duration.ofHours(1),
                    later,
                    new Retries(3, Duration.ofMillis(1)));

            String result = sweepSuspendingIdle(traffic, later).handleRequest(SCHEDULED, null);

            assertThat(logs.findAll(postRequestedFor(urlEqualTo("/"))))
                    .as("one read for the round, three attempts at most, not one read per running tenant")
                    .hasSize(3);
            for (int tenant = 1; tenant <= 5; tenant++) {
                assertThat(fixture.adapters
                                .registry
                                .find(TenantId.of("idle-" + tenant))
                                .orElseThrow()
                                .state())
                        .isEqualTo(TenantState.RUNNING);
            }
            assertThat(result).contains("; idle: ").contains("Rate exceeded");
            assertThat(fixture.adapters.logLines())
                    .last()
                    .asString()
                    .contains("\"idleError\":", "Rate exceeded", "\"level\":\"WARN\"");
        } finally {
            logs.stop();
        }
    }
}
