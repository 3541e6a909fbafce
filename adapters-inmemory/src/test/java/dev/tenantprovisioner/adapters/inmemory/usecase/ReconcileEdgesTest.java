package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.usecase.Backends;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reconciler where the in-memory runtime can inject what a real one cannot on demand. */
class ReconcileEdgesTest {

    private final World world = new World();
    private final ReconcileTenants reconcile = new ReconcileTenants(
            Backends.of(world.registry, world.runtime, world.mailer), ProvisioningPolicy.defaults(), world.clock);

    @Test
    void givenALeaseStuckBeforeItsStartWhoseStartKeepsFailing_whenReconcilePastTheDeadline_thenFailedWithTheReason() {
        world.registry.allocate(aTenant(1), anEmail(1), false);
        world.clock.advance(Duration.ofMinutes(11));
        ReconcileTenants refusingStarts = new ReconcileTenants(
                Backends.of(
                        world.registry,
                        new Decorators.Runtime(world.runtime) {
                            @Override
                            public StartOutcome start(ContainerSpec spec) {
                                throw new InfrastructureException("ECS RunTask answered 400 ClientException", false);
                            }
                        },
                        world.mailer),
                ProvisioningPolicy.defaults(),
                world.clock);

        ReconcileTenants.Report report = refusingStarts.reconcile();

        assertThat(report.count(ReconcileTenants.Kind.STUCK_FAILED)).isEqualTo(1);
        Lease failed = world.lease(1);
        assertThat(failed.state()).isEqualTo(TenantState.FAILED);
        assertThat(failed.failure())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("stuck port_allocated since ")
                        .contains("(longer than 10 min): ECS RunTask answered 400 ClientException"));
        assertThat(world.registry
                        .allocate(aTenant(2), anEmail(2), false)
                        .orElseThrow()
                        .port())
                .as("its port is free")
                .isEqualTo(failed.port()
                        .or(() -> java.util.Optional.of(dev.tenantprovisioner.domain.model.HostPort.of(3000))));
    }

    @Test
    void givenASuspendedTenantWhoseTaskStillRuns_whenReconciled_thenTheTaskIsStopped() {
        world.provision(1);
        Lease running = world.lease(1);
        // A suspend that wrote its checkpoint and died before it stopped the task.
        world.registry.save(running.suspended("test"));

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.SUSPENDED_TASK_STOPPED);
            assertThat(action.reason()).isEqualTo("the tenant is suspended, and its task still ran");
        });
        assertThat(world.runtime.live()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenAnOlderTaskOfATenantBesideItsCurrentOne_whenReconciled_thenTheOlderIsStopped() {
        world.provision(1);
        Lease lease = world.lease(1);
        TaskId older = ((StartOutcome.Started) world.runtime.start(new ContainerSpec(
                        aTenant(1), dev.tenantprovisioner.domain.model.HostPort.of(3050), "tenant-1-g0-r0")))
                .task();

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.task()).contains(older);
            assertThat(action.reason())
                    .isEqualTo("no lease names it: the tenant is running with task "
                            + lease.task().orElseThrow());
        });
    }

    @Test
    void givenARuntimeThatCannotBeListed_whenReconciled_thenTheRoundFailsAndNothingIsRepaired() {
        world.provision(1);
        world.runtime.failNextCall(new InfrastructureException("ECS ListTasks answered 503", true));

        assertThatThrownBy(reconcile::reconcile)
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("ListTasks");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }
}
