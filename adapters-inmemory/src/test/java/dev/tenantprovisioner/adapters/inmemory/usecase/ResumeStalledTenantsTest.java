package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants.Sweep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResumeStalledTenantsTest {

    private final World world = new World();
    private final ResumeStalledTenants sweep = new ResumeStalledTenants(
            world.registry,
            world.runtime,
            world.mailer,
            dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults(),
            world.clock);

    @Test
    void givenProvisionAbandonedAfterAllocation_whenSweptLater_thenTenantIsFinished() {
        world.registry.allocate(aTenant(1), anEmail(1), false);
        world.clock.advance(Duration.ofMinutes(10));

        ResumeStalledTenants.Report report = sweep.resume(new Sweep(Duration.ofMinutes(5), 100));

        assertThat(report.resumed()).isEqualTo(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenAbandonedTenantAndNoRoom_whenSwept_thenPortIsGivenBack() {
        world.registry.allocate(aTenant(1), anEmail(1), false);
        world.runtime.withCapacity(0);
        world.clock.advance(Duration.ofMinutes(10));

        sweep.resume(new Sweep(Duration.ofMinutes(5), 100));

        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.lease(1).port()).isEmpty();
    }

    @Test
    void givenRecentlyTouchedLease_whenSwept_thenLeftAlone() {
        world.registry.allocate(aTenant(1), anEmail(1), false);

        ResumeStalledTenants.Report report = sweep.resume(new Sweep(Duration.ofMinutes(5), 100));

        assertThat(report.resumed()).isZero();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);
    }

    @Test
    void givenPendingEmailAndProviderStillDown_whenSwept_thenCountedAndRetriedNextTime() {
        world.mailer.failNextSend(new InfrastructureException("503", true));
        world.provision(1);
        world.clock.advance(Duration.ofMinutes(10));
        world.mailer.failNextSend(new InfrastructureException("503", true));

        sweep.resume(new Sweep(Duration.ofMinutes(5), 100));
        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.PENDING);
        world.clock.advance(Duration.ofMinutes(10));
        sweep.resume(new Sweep(Duration.ofMinutes(5), 100));

        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenRuntimeStillDown_whenSwept_thenReportedAsStillFailing() {
        world.registry.allocate(aTenant(1), anEmail(1), false);
        world.clock.advance(Duration.ofMinutes(10));
        world.runtime.failNextCall(new InfrastructureException("ECS 500", true));

        assertThat(sweep.resume(new Sweep(Duration.ofMinutes(5), 100)).stillFailing())
                .isEqualTo(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThatThrownBy(() -> new Sweep(Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
