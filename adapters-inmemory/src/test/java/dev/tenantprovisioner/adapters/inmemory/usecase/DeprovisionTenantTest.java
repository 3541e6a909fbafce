package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DeprovisionTenantTest {

    @Test
    void givenProvisionedTenant_whenDeprovisionedAndRepeated_thenTheRuntimeForgetsItEachTime() {
        java.util.List<TenantId> forgotten = new java.util.concurrent.CopyOnWriteArrayList<>();
        World world =
                new World(PortPool.range(3000, 3099), ProvisioningPolicy.defaults(), r -> new Decorators.Runtime(r) {
                    @Override
                    public void forget(TenantId tenant) {
                        forgotten.add(tenant);
                        super.forget(tenant);
                    }
                });
        world.provision(1);

        world.deprovision(1);
        world.deprovision(1);

        assertThat(forgotten)
                .as("what the runtime keeps beyond the tasks (an ECS secret and task definition) goes, and a repeat"
                        + " finishes a first call that died before it")
                .containsExactly(aTenant(1), aTenant(1));
    }

    @Test
    void givenRunningTenant_whenDeprovisioned_thenContainerStoppedPortFreedTombstoneKept() {
        World world = new World();
        world.provision(1);

        DeprovisionOutcome outcome = world.deprovision(1);

        assertThat(outcome).isInstanceOf(DeprovisionOutcome.Deprovisioned.class);
        assertThat(world.runtime.live()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(statusOf(world.provision(2)).lease().port()).contains(HostPort.of(3000));
    }

    @Test
    void givenDeprovisionedTenant_whenLateRetryProvisions_thenRejectedAndNothingAllocated() {
        World world = new World();
        world.provision(1);
        world.deprovision(1);

        ProvisionOutcome late = world.provision(1);

        assertThat(late)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(ProvisionOutcome.Reason.DEPROVISIONED));
        assertThat(world.runtime.live()).isEmpty();
        assertThat(world.lease(1).port()).isEmpty();
    }

    @Test
    void givenDeprovisionedTenant_whenRevived_thenNewGenerationWithNewContainerAndNewEmail() {
        World world = new World();
        world.provision(1);
        world.deprovision(1);

        ProvisionOutcome revived = world.revive(1);

        assertThat(revived).isInstanceOf(ProvisionOutcome.Provisioned.class);
        assertThat(statusOf(revived).lease().generation()).isEqualTo(2);
        assertThat(world.runtime.live()).hasSize(1);
        assertThat(world.mailer.delivered())
                .extracting(WelcomeEmail::idempotencyKey)
                .containsExactly("welcome-tenant-1-g1", "welcome-tenant-1-g2");
    }

    @Test
    void givenCancellationBeforeCheckout_whenCheckoutArrives_thenTenantIsNotStarted() {
        World world = new World();

        assertThat(world.deprovision(1)).isInstanceOf(DeprovisionOutcome.Deprovisioned.class);
        ProvisionOutcome checkout = world.provision(1);

        assertThat(checkout).isInstanceOf(ProvisionOutcome.Rejected.class);
        assertThat(world.runtime.all()).isEmpty();
        assertThat(world.mailer.attempts()).isZero();
    }

    @Test
    void givenDeprovisionedTenant_whenDeprovisionedAgain_thenAlreadyDeprovisionedAndNothingChanges() {
        World world = new World();
        world.provision(1);
        world.deprovision(1);
        long version = world.lease(1).version();

        assertThat(world.deprovision(1)).isInstanceOf(DeprovisionOutcome.AlreadyDeprovisioned.class);
        assertThat(world.lease(1).version()).isEqualTo(version);
    }

    @Test
    void givenDeprovisionRacingWithStart_whenProvisionRecordsItsTask_thenNoTaskOutlivesTheTenant() {
        AtomicReference<World> ref = new AtomicReference<>();
        AtomicBoolean raced = new AtomicBoolean();
        World world = new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults(),
                runtime -> onStart(runtime, spec -> {
                    if (raced.compareAndSet(false, true)) {
                        ref.get().deprovision(1);
                    }
                }));
        ref.set(world);

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome).isInstanceOf(ProvisionOutcome.Rejected.class);
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(world.runtime.live()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(world.mailer.attempts()).isZero();
    }

    @Test
    void givenCallDiedAfterRunTaskAnswered_whenRetried_thenTheSameTaskIsAdopted() {
        AtomicBoolean died = new AtomicBoolean();
        World world = new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults(),
                runtime -> afterStart(runtime, () -> {
                    if (died.compareAndSet(false, true)) {
                        throw new InfrastructureException("process died after RunTask answered", true);
                    }
                }));

        assertThatThrownBy(() -> world.provision(1)).isInstanceOf(InfrastructureException.class);
        TenantStatus status = statusOf(world.provision(1));

        assertThat(world.runtime.all()).hasSize(1);
        assertThat(status.lease().task()).contains(world.runtime.all().get(0).task());
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenRuntimeWronglyReportsNewTaskGone_whenProvisioning_thenThatTaskIsStoppedBeforeTheRestart() {
        AtomicBoolean lagging = new AtomicBoolean(true);
        World world =
                new World(PortPool.range(3000, 3099), ProvisioningPolicy.defaults(), runtime -> new Decorated(runtime) {
                    @Override
                    public ContainerStatus status(TaskId task) {
                        // A describe that lags behind the start, as an eventually consistent API can.
                        return lagging.getAndSet(false) ? ContainerStatus.gone() : super.status(task);
                    }
                });

        world.provision(1);

        assertThat(world.runtime.all()).hasSize(2);
        assertThat(world.runtime.live())
                .singleElement()
                .satisfies(c -> assertThat(world.lease(1).task()).contains(c.task()));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenEventForTaskOfNoTenant_whenObserved_thenIgnored() {
        World world = new World();
        world.provision(1);

        assertThat(world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), TaskId.of("someone-elses-task"))))
                .isEqualTo(new ObserveTask.Observation(java.util.Optional.empty(), false));
        assertThat(world.observe.taskChanged(new ObserveTask.TaskChange(TenantId.of("nobody"), TaskId.of("x"))))
                .isEqualTo(new ObserveTask.Observation(java.util.Optional.empty(), false));
    }

    @Test
    void givenRuntimeThatStopsLater_whenDeprovisioned_thenPortIsHeldUntilTheStoppedEventFreesIt() {
        List<TaskId> stopsAsked = new ArrayList<>();
        World world =
                new World(PortPool.range(3000, 3009), ProvisioningPolicy.defaults(), runtime -> new Decorated(runtime) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        stopsAsked.add(task); // asynchronous, as ECS's StopTask: the task stops some time later
                    }
                });
        TaskId task = world.lease(provisioned(world, 1)).task().orElseThrow();

        world.deprovision(1);

        assertThat(stopsAsked).containsExactly(task);
        assertThat(world.registry.heldPorts(10))
                .singleElement()
                .satisfies(held -> assertThat(held.task()).contains(task));
        assertThat(world.lease(provisioned(world, 2)).port())
                .as("the old task may still listen on 3000")
                .contains(HostPort.of(3001));
        assertThat(world.observe
                        .taskChanged(new ObserveTask.TaskChange(aTenant(1), task))
                        .portFreed())
                .as("an event while the task still runs frees nothing")
                .isFalse();

        world.runtime.crash(task); // the stop took effect
        ObserveTask.Observation stopped = world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), task));

        assertThat(stopped.portFreed()).isTrue();
        assertThat(world.registry.heldPorts(10)).isEmpty();
        assertThat(world.lease(provisioned(world, 3)).port()).contains(HostPort.of(3000));
    }

    @Test
    void givenHeldPortWhoseTaskNeverReportsStopped_whenTheGracePasses_thenTheSweepAsksAgainAndFreesIt() {
        List<TaskId> stopsAsked = new ArrayList<>();
        World world = new World(
                PortPool.range(3000, 3009),
                ProvisioningPolicy.defaults().withPortHoldGrace(Duration.ofMinutes(10)),
                runtime -> new Decorated(runtime) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        stopsAsked.add(task);
                    }
                });
        TaskId task = world.lease(provisioned(world, 1)).task().orElseThrow();
        world.deprovision(1);
        world.clock.advance(Duration.ofMinutes(9));
        assertThat(world.sweep()
                        .resume(new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 100))
                        .portsFreed())
                .isZero();

        world.clock.advance(Duration.ofMinutes(2));
        ResumeStalledTenants.Report report =
                world.sweep().resume(new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 100));

        assertThat(report.portsFreed()).isEqualTo(1);
        assertThat(stopsAsked).containsExactly(task, task);
        // The runtime never stopped it here, so the next tenant finds 3000 taken, holds it again and moves on.
        assertThat(world.lease(provisioned(world, 2)).port()).contains(HostPort.of(3001));
        assertThat(world.registry.heldPorts(10)).singleElement().satisfies(held -> {
            assertThat(held.port()).isEqualTo(HostPort.of(3000));
            assertThat(held.task()).isEmpty();
        });
    }

    @Test
    void givenRuntimeThatStopsAtOnce_whenDeprovisioned_thenPortIsFreeRightAway() {
        World world = new World();
        world.provision(1);

        world.deprovision(1);

        assertThat(world.registry.heldPorts(10)).isEmpty();
        assertThat(world.lease(provisioned(world, 2)).port()).contains(HostPort.of(3000));
    }

    private static int provisioned(World world, int n) {
        ProvisionTenantTest.statusOf(world.provision(n));
        return n;
    }

    @Test
    void givenRunningEventDeliveredTwice_whenObserved_thenOneEmail() {
        World world = new World();
        world.runtime.startPending(true);
        TaskId task = statusOf(world.provision(1)).lease().task().orElseThrow();
        world.runtime.markRunning(task);

        world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), task));
        world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), task));

        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    private static ContainerRuntime onStart(ContainerRuntime delegate, Consumer<ContainerSpec> before) {
        return new Decorated(delegate) {
            @Override
            public StartOutcome start(ContainerSpec spec) {
                StartOutcome outcome = super.start(spec);
                before.accept(spec);
                return outcome;
            }
        };
    }

    private static ContainerRuntime afterStart(ContainerRuntime delegate, Runnable after) {
        return new Decorated(delegate) {
            @Override
            public StartOutcome start(ContainerSpec spec) {
                StartOutcome outcome = super.start(spec);
                after.run();
                return outcome;
            }
        };
    }

    /** Passes every call through; tests override the one they interfere with. */
    private static class Decorated implements ContainerRuntime {
        private final ContainerRuntime delegate;

        Decorated(ContainerRuntime delegate) {
            this.delegate = delegate;
        }

        @Override
        public StartOutcome start(ContainerSpec spec) {
            return delegate.start(spec);
        }

        @Override
        public ContainerStatus status(TaskId task) {
            return delegate.status(task);
        }

        @Override
        public void stop(TaskId task, TenantId tenant, StopReason reason) {
            delegate.stop(task, tenant, reason);
        }

        @Override
        public java.util.List<dev.tenantprovisioner.domain.spi.LiveTask> liveTasks() {
            return delegate.liveTasks();
        }
    }
}
