package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.LogOutput;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepHandlerTest {

    @Test
    void givenScheduledEvent_whenSweeping_thenReportsWhatItLookedAtAndLogsOneLine() {
        Fixture fixture = new Fixture();
        fixture.adapters.registry.allocate(TenantId.of("user-1"), Email.of("a@example.com"), false);
        SweepHandler handler = new SweepHandler(
                fixture.injector.getInstance(ResumeStalledTenants.class),
                fixture.injector.getInstance(ResumeStalledTenants.Sweep.class),
                fixture.injector.getInstance(LogOutput.class));

        String result = handler.handleRequest(Map.of("detail-type", "Scheduled Event", "source", "aws.events"), null);

        // The lease was touched a moment ago, so the sweep leaves it to its caller.
        assertThat(result).isEqualTo("examined 1, resumed 0, still failing 0, ports freed 0");
        assertThat(fixture.adapters.logLines())
                .singleElement()
                .asString()
                .contains("\"route\":\"sweep\"", "\"examined\":1");
    }
}
