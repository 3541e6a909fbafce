package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How the workflow behaves at its edges: lost races, odd runtime answers, writes that never land. */
class WorkflowEdgesTest {

    private static final PortPool POOL = PortPool.range(3000, 3099);

    private static World withRegistry(java.util.function.UnaryOperator<PortRegistry> registry) {
        return new World(POOL, ProvisioningPolicy.defaults(), r -> r, registry, m -> m);
    }

    private static World withStatus(ContainerStatus answer) {
        return new World(POOL, ProvisioningPolicy.defaults(), runtime -> new Decorators.Runtime(runtime) {
            @Override
            public ContainerStatus status(TaskId task) {
                return answer;
            }
        });
    }

    @Test
    void givenRegistryThatAlwaysLosesTheCompareAndSet_whenAdvancing_thenItGivesUpAfterSixtyFourStepsNamingTheTenant() {
        AtomicInteger saves = new AtomicInteger();
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Lease save(Lease next) {
                saves.incrementAndGet();
                throw new LeaseConflictException(next.tenant(), "another writer won");
            }
        });

        assertThatThrownBy(() -> world.provision(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tenant tenant-1 did not settle after 64 steps");
        assertThat(saves).hasValue(64);
        assertThat(world.runtime.live())
                .as("the one start, deduplicated on every retry")
                .hasSize(1);
    }

    @Test
    void givenAnotherWriteWhileStarting_whenTheLeaseStillWaitsForThatStart_thenTheStartedTaskIsKept() {
        AtomicBoolean raced = new AtomicBoolean();
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Lease save(Lease next) {
                if (raced.compareAndSet(false, true)) {
                    registry.save(registry.find(next.tenant()).orElseThrow()); // someone else's write, same state
                    throw new LeaseConflictException(next.tenant(), "lost to a concurrent write");
                }
                return registry.save(next);
            }
        });

        Lease lease = statusOf(world.provision(1)).lease();

        assertThat(lease.state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.all()).singleElement().satisfies(container -> {
            assertThat(container.phase()).isEqualTo(ContainerStatus.Phase.RUNNING);
            assertThat(lease.task()).contains(container.task());
        });
    }

    @Test
    void givenLeaseThatVanishes_whenAConflictIsReread_thenTheErrorSaysSo() {
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Optional<Lease> find(TenantId tenant) {
                return Optional.empty();
            }

            @Override
            public Lease save(Lease next) {
                throw new LeaseConflictException(next.tenant(), "gone");
            }
        });

        assertThatThrownBy(() -> world.provision(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lease of tenant-1 vanished from the registry");
    }

    @Test
    void givenTaskThatIsStillStopping_whenObserved_thenTheLeaseKeepsItsStateUntilTheTaskHasStopped() {
        World world = withStatus(ContainerStatus.stopping("SIGTERM sent"));

        Lease lease = statusOf(world.provision(1)).lease();

        assertThat(lease.state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(lease.port()).isPresent();
        assertThat(lease.failure()).isEmpty();
    }

    @Test
    void givenTaskTheRuntimeForgot_whenObserved_thenStoppedSayingTheTaskIsUnknown() {
        World world = withStatus(ContainerStatus.gone());

        Lease lease = statusOf(world.provision(1)).lease();

        assertThat(lease.state()).isEqualTo(TenantState.STOPPED);
        assertThat(lease.failure()).contains("container stopped: task unknown to the runtime");
        assertThat(world.runtime.all())
                .as("one restart in the call, not one per step")
                .hasSize(2);
        assertThat(world.runtime.live())
                .as("the first was stopped before the restart")
                .hasSize(1);
    }

    @Test
    void givenTaskStoppedWithoutAReason_whenObserved_thenStoppedSayingSo() {
        World world = withStatus(ContainerStatus.stopped(null));

        Lease lease = statusOf(world.provision(1)).lease();

        assertThat(lease.state()).isEqualTo(TenantState.STOPPED);
        assertThat(lease.failure()).contains("container stopped: no reason given");
    }

    @Test
    void givenNotifyWhenStarted_whenTheStartFailsForNow_thenNoEmailGoesOutBeforeAContainerWasStarted() {
        ProvisioningPolicy policy = ProvisioningPolicy.defaults()
                .withNotifyWhen(NotificationPolicy.WHEN_STARTED)
                .withPublicHost(Ipv4Address.of("54.123.45.6"));
        World world = new World(POOL, policy);
        world.runtime.failNextCall(new InfrastructureException("ECS 500", true));

        assertThatThrownBy(() -> world.provision(1)).isInstanceOf(InfrastructureException.class);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(world.mailer.attempts()).isZero();
    }

    @Test
    void givenNotificationRecordThatNeverLands_whenTheSendEnds_thenItGivesUpAfterSixtyFourAttempts() {
        AtomicInteger settles = new AtomicInteger();
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Lease save(Lease next) {
                if (next.notification() == NotificationState.SENT) {
                    settles.incrementAndGet();
                    throw new LeaseConflictException(next.tenant(), "lost again");
                }
                return registry.save(next);
            }
        });

        assertThatThrownBy(() -> world.provision(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not record the welcome email of tenant-1");
        assertThat(settles).hasValue(64);
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenAnotherProcessRecordedTheSendMeanwhile_whenOursEnds_thenTheirRecordStands() {
        AtomicReference<World> holder = new AtomicReference<>();
        World world = new World(POOL, ProvisioningPolicy.defaults(), r -> r, r -> r, mailer -> email -> {
            mailer.sendWelcome(email);
            PortRegistry registry = holder.get().registry;
            Lease claimed = registry.find(email.tenant()).orElseThrow();
            registry.save(claimed.withNotification(NotificationState.SENT, Optional.empty())); // the other sender
        });
        holder.set(world);

        Lease lease = statusOf(world.provision(1)).lease();

        assertThat(lease.notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.lease(1).version())
                .as("ours wrote nothing over theirs")
                .isEqualTo(lease.version());
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenRunningEvent_whenObserved_thenTheObservationCarriesTheTenantAsItNowStands() {
        World world = new World();
        world.runtime.startPending(true);
        TaskId task = statusOf(world.provision(1)).lease().task().orElseThrow();
        world.runtime.markRunning(task);

        ObserveTask.Observation seen = world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), task));

        assertThat(seen.portFreed()).isFalse();
        assertThat(seen.tenant()).hasValueSatisfying(status -> {
            assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
            assertThat(status.accessUrl()).isPresent();
        });
    }
}
