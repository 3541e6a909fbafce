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

    private ReconcileTenants reconcileOn(dev.tenantprovisioner.domain.spi.ContainerRuntime runtime) {
        return new ReconcileTenants(
                Backends.of(world.registry, runtime, world.mailer), ProvisioningPolicy.defaults(), world.clock);
    }

    @Test
    void givenEverythingInPlace_whenReconciled_thenItCountsTheTasksAndLeasesItLookedAt() {
        world.provision(1);
        world.provision(2);
        world.deprovision(2);

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.tasks()).isEqualTo(1);
        assertThat(report.leases()).isEqualTo(2);
        assertThat(report.actions()).isEmpty();
        assertThat(report.stillFailing()).isZero();
    }

    @Test
    void givenAStrayTaskTheRuntimeWillNotStopNow_whenReconciled_thenCountedAsStillFailing() {
        world.runtime.start(new ContainerSpec(
                dev.tenantprovisioner.domain.model.TenantId.of("stray"),
                dev.tenantprovisioner.domain.model.HostPort.of(3050),
                "stray-g1-r0"));
        ReconcileTenants failingStops = reconcileOn(new Decorators.Runtime(world.runtime) {
            @Override
            public void stop(
                    TaskId task,
                    dev.tenantprovisioner.domain.model.TenantId tenant,
                    dev.tenantprovisioner.domain.spi.StopReason reason) {
                throw new InfrastructureException("ECS StopTask answered 503", true);
            }
        });

        ReconcileTenants.Report report = failingStops.reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(report.stillFailing()).isEqualTo(1);
    }

    @Test
    void givenALostTaskTheRuntimeCannotDescribeNow_whenReconciled_thenCountedAsStillFailingAndTheLeaseKept() {
        world.provision(1);
        world.runtime.vanish(world.lease(1).task().orElseThrow());
        ReconcileTenants failingDescribes = reconcileOn(new Decorators.Runtime(world.runtime) {
            @Override
            public dev.tenantprovisioner.domain.spi.ContainerStatus status(TaskId task) {
                throw new InfrastructureException("ECS DescribeTasks answered 503", true);
            }
        });

        ReconcileTenants.Report report = failingDescribes.reconcile();

        assertThat(report.stillFailing()).isEqualTo(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenATaskWithoutAStartTokenForALeaseWaitingToStart_whenReconciled_thenLeftToTheWorkflowsOwnStart() {
        Lease lease = world.registry.allocate(aTenant(1), anEmail(1), false).orElseThrow();
        TaskId task = ((StartOutcome.Started)
                        world.runtime.start(new ContainerSpec(aTenant(1), lease.requirePort(), lease.startToken())))
                .task();
        ReconcileTenants withoutTokens = reconcileOn(new Decorators.Runtime(world.runtime) {
            @Override
            public java.util.List<dev.tenantprovisioner.domain.spi.LiveTask> liveTasks() {
                return world.runtime.liveTasks().stream()
                        .map(live -> new dev.tenantprovisioner.domain.spi.LiveTask(
                                live.task(), live.tenant(), java.util.Optional.empty()))
                        .toList();
            }
        });

        ReconcileTenants.Report report = withoutTokens.reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(world.runtime.live()).extracting(c -> c.task()).containsExactly(task);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);
    }

    @Test
    void givenATaskStartedAfterTheListingThatRunsByNow_whenReconciled_thenNoRepairIsReported() {
        world.runtime.startPending(true);
        world.provision(1);
        TaskId task = world.lease(1).task().orElseThrow();
        world.runtime.markRunning(task);
        ReconcileTenants listedBeforeTheStart = reconcileOn(new Decorators.Runtime(world.runtime) {
            @Override
            public java.util.List<dev.tenantprovisioner.domain.spi.LiveTask> liveTasks() {
                return java.util.List.of();
            }
        });

        ReconcileTenants.Report report = listedBeforeTheStart.reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).task()).contains(task);
    }

    @Test
    void givenAStartedTaskThatVanishedBeforeItRan_whenReconciled_thenItIsALostTask() {
        world.runtime.startPending(true);
        world.provision(1);
        TaskId task = world.lease(1).task().orElseThrow();
        world.runtime.vanish(task);

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.count(ReconcileTenants.Kind.LOST_TASK)).isEqualTo(1);
        assertThat(report.count(ReconcileTenants.Kind.ORPHAN_STOPPED)).isZero();
        assertThat(world.lease(1).restartPending()).isTrue();
    }

    @Test
    void givenARunningTenantUntouchedForAnHour_whenReconciled_thenLeftRunning() {
        world.provision(1);
        world.clock.advance(Duration.ofHours(1));

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenATaskWaitingForRoomPastTheDeadline_whenReconciled_thenMovedOnWithTheReasonItFailedFor() {
        world.runtime.queueWhenFull(true).withCapacity(0);
        world.provision(1);
        world.clock.advance(Duration.ofMinutes(11));

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.STUCK_FINISHED);
            assertThat(action.reason()).contains("moved on to failed (no capacity: the task did not run within 10 min");
        });
    }

    @Test
    void
            givenAStartedLeaseStuckWhoseTaskCannotBeDescribed_whenReconciledPastTheDeadline_thenItsTaskIsStoppedAndItFails() {
        world.runtime.startPending(true);
        world.provision(1);
        TaskId task = world.lease(1).task().orElseThrow();
        world.clock.advance(Duration.ofMinutes(11));
        ReconcileTenants failingDescribes = reconcileOn(new Decorators.Runtime(world.runtime) {
            @Override
            public dev.tenantprovisioner.domain.spi.ContainerStatus status(TaskId asked) {
                throw new InfrastructureException("ECS DescribeTasks answered 400", false);
            }
        });

        ReconcileTenants.Report report = failingDescribes.reconcile();

        assertThat(report.count(ReconcileTenants.Kind.STUCK_FAILED)).isEqualTo(1);
        assertThat(world.runtime.stopReason(task)).contains(dev.tenantprovisioner.domain.spi.StopReason.START_DEADLINE);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.registry.heldPorts(10)).as("its task may still listen").hasSize(1);
    }
}
