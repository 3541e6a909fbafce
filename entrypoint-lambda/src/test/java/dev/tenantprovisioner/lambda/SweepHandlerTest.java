package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.LogOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
                .contains("\"stillFailing\":1", "\"level\":\"WARN\"");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.PORT_ALLOCATED);
    }
}
