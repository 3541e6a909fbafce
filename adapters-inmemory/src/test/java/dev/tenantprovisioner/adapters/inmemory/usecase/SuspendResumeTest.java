package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Suspend and resume: the container stops and starts again; port, link, data and the sent email are kept. */
class SuspendResumeTest {

    /** A world whose runtime cannot be reached for the first stop it is asked for. */
    private static World whoseFirstStopFails() {
        AtomicInteger failures = new AtomicInteger(1);
        return new World(
                dev.tenantprovisioner.domain.model.PortPool.range(3000, 3099),
                dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults(),
                r -> new Decorators.Runtime(r) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        if (failures.getAndDecrement() > 0) {
                            throw new InfrastructureException("runtime unreachable", true);
                        }
                        super.stop(task, tenant, reason);
                    }
                },
                r -> r,
                m -> m);
    }

    @Test
    void givenRunningTenant_whenSuspendedAndResumed_thenSamePortAndLinkNewContainerAndNoSecondEmail() {
        World world = World.withDatabases(r -> r, r -> r, d -> d);
        world.provision(1);
        Lease running = world.lease(1);
        String link = world.describe(1).accessUrl().orElseThrow().toString();
        String password = world.databases.access(aTenant(1), 1).password();

        ChangeOutcome suspended = world.suspend.suspend(aTenant(1), "testing");

        assertThat(suspended).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.lease(1).port()).isEqualTo(running.port());
        assertThat(world.runtime.status(running.task().orElseThrow()).phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(world.describe(1).accessUrl().orElseThrow().toString()).isEqualTo(link);

        ChangeOutcome resumed = world.resume.resume(aTenant(1));

        assertThat(resumed)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        c -> assertThat(c.already()).isFalse());
        Lease after = world.lease(1);
        assertThat(after.state()).isEqualTo(TenantState.RUNNING);
        assertThat(after.port()).isEqualTo(running.port());
        assertThat(after.task()).isNotEqualTo(running.task());
        assertThat(world.describe(1).accessUrl().orElseThrow().toString()).isEqualTo(link);
        assertThat(world.mailer.accepted()).hasSize(1);
        assertThat(world.runtime
                        .specOf(after.task().orElseThrow())
                        .orElseThrow()
                        .secrets())
                .containsEntry("PGPASSWORD", password);
    }

    @Test
    void givenSuspendedTenant_whenSuspendedOrResumedTwice_thenTheRepeatsChangeNothing() {
        World world = new World();
        world.provision(1);
        world.suspend.suspend(aTenant(1), "testing");
        long version = world.lease(1).version();

        assertThat(world.suspend.suspend(aTenant(1), "again"))
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        c -> assertThat(c.already()).isTrue());
        assertThat(world.lease(1).version()).isEqualTo(version);

        world.resume.resume(aTenant(1));
        TaskId task = world.lease(1).task().orElseThrow();
        assertThat(world.resume.resume(aTenant(1)))
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        c -> assertThat(c.already()).isTrue());
        assertThat(world.lease(1).task()).contains(task);
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenStatesWithoutAnInstance_whenSuspendingOrResuming_thenRefusedOrNotFoundAndNothingChanges() {
        World world = new World();
        world.provision(1);
        world.deprovision(1);

        assertThat(world.suspend.suspend(aTenant(1), "testing")).isInstanceOf(ChangeOutcome.Refused.class);
        assertThat(world.resume.resume(aTenant(1))).isInstanceOf(ChangeOutcome.Refused.class);
        assertThat(world.suspend.suspend(aTenant(2), "testing")).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(world.resume.resume(aTenant(2))).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
    }

    @Test
    void givenSuspendWhoseStopFailed_whenRepeated_thenTheContainerIsStoppedAfterAll() {
        World world = whoseFirstStopFails();
        world.provision(1);
        TaskId task = world.lease(1).task().orElseThrow();

        assertThatThrownBy(() -> world.suspend.suspend(aTenant(1), "testing"))
                .isInstanceOf(InfrastructureException.class);
        assertThat(world.lease(1).state()).as("the checkpoint came first").isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.status(task).phase()).isEqualTo(ContainerStatus.Phase.RUNNING);

        world.suspend.suspend(aTenant(1), "testing");

        assertThat(world.runtime.status(task).phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
    }

    @Test
    void givenResumeWhoseStartFailed_whenRepeated_thenTheTenantRunsOnItsPortWithOneNewContainer() {
        AtomicInteger failures = new AtomicInteger(0);
        World world = new World(
                dev.tenantprovisioner.domain.model.PortPool.range(3000, 3099),
                dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults(),
                r -> new Decorators.Runtime(r) {
                    @Override
                    public dev.tenantprovisioner.domain.spi.StartOutcome start(
                            dev.tenantprovisioner.domain.spi.ContainerSpec spec) {
                        if (failures.getAndDecrement() > 0) {
                            throw new InfrastructureException("runtime unreachable", true);
                        }
                        return super.start(spec);
                    }
                },
                r -> r,
                m -> m);
        world.provision(1);
        Lease first = world.lease(1);
        world.suspend.suspend(aTenant(1), "testing");
        failures.set(1);

        assertThatThrownBy(() -> world.resume.resume(aTenant(1))).isInstanceOf(InfrastructureException.class);
        assertThat(world.lease(1).state()).as("the restart checkpoint").isEqualTo(TenantState.PORT_ALLOCATED);

        ChangeOutcome repeated = world.resume.resume(aTenant(1));

        assertThat(repeated).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).port()).isEqualTo(first.port());
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenSuspendedContainerStillGoingDown_whenResumed_thenBusyAndNoSecondContainerOnThePort() {
        World world = new World(
                dev.tenantprovisioner.domain.model.PortPool.range(3000, 3099),
                dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults(),
                r -> new Decorators.Runtime(r) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        // An asynchronous runtime: the stop is asked for, the task is still up.
                    }
                },
                r -> r,
                m -> m);
        world.provision(1);

        world.suspend.suspend(aTenant(1), "testing");
        ChangeOutcome resumed = world.resume.resume(aTenant(1));

        assertThat(resumed).isInstanceOf(ChangeOutcome.Busy.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.all()).hasSize(1);
    }

    @Test
    void givenSuspendedTenant_whenProvisionedAgain_thenItIsResumedOnItsPort() {
        World world = new World();
        world.provision(1);
        Lease first = world.lease(1);
        world.suspend.suspend(aTenant(1), "idle");

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome).isInstanceOf(ProvisionOutcome.AlreadyProvisioned.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).port()).isEqualTo(first.port());
        assertThat(world.mailer.accepted()).hasSize(1);
    }

    @Test
    void givenSuspendedTenant_whenDeprovisioned_thenItsPortIsFreedOnceTheContainerIsDown() {
        World world = new World();
        world.provision(1);
        int port = world.lease(1).requirePort().value();
        world.suspend.suspend(aTenant(1), "testing");

        world.deprovision(1);
        world.provision(2);

        assertThat(world.lease(2).requirePort().value()).isEqualTo(port);
    }

    @Test
    void givenOutcomes_thenEachCarriesTheTenantAsTheCallLeftIt() {
        World world = new World();
        world.provision(1);
        world.provision(2);
        world.deprovision(2);

        ChangeOutcome suspended = world.suspend.suspend(aTenant(1), "testing");
        ChangeOutcome refused = world.suspend.suspend(aTenant(2), "testing");
        ChangeOutcome missing = world.resume.resume(aTenant(3));

        assertThat(suspended.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(suspended.tenant().orElseThrow().accessUrl())
                .as("the link is kept")
                .isPresent();
        assertThat(refused.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(missing.tenant()).isEmpty();
    }

    @Test
    void givenSuspendedContainerStillUp_whenResumed_thenBusyTheStopIsAskedAgainAndTheNextResumeStartsIt() {
        World world = whoseFirstStopFails();
        world.provision(1);
        TaskId task = world.lease(1).task().orElseThrow();
        assertThatThrownBy(() -> world.suspend.suspend(aTenant(1), "testing"))
                .isInstanceOf(InfrastructureException.class);

        ChangeOutcome busy = world.resume.resume(aTenant(1));

        assertThat(busy).isInstanceOf(ChangeOutcome.Busy.class);
        assertThat(busy.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.status(task).phase())
                .as("the resume asked the old container to stop again")
                .isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(world.resume.resume(aTenant(1))).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenStoppedTenant_whenResumed_thenItIsRestartedOnItsPort() {
        World world = new World();
        world.provision(1);
        Lease first = world.lease(1);
        world.runtime.crash(first.task().orElseThrow());
        world.describe(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.STOPPED);

        ChangeOutcome resumed = world.resume.resume(aTenant(1));

        assertThat(resumed)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        c -> assertThat(c.already()).isFalse());
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).port()).isEqualTo(first.port());
        assertThat(world.lease(1).task()).isNotEqualTo(first.task());
    }

    @Test
    void givenRegistryThatAlwaysLosesTheCompareAndSet_whenSuspending_thenItGivesUpAfterSixteenTries() {
        AtomicReference<Decorators.Contested> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Contested(r, lease -> lease.state() == TenantState.SUSPENDED));
            return registry.get();
        });
        world.provision(1);

        assertThatThrownBy(() -> world.suspend.suspend(aTenant(1), "testing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the lease of tenant-1 kept changing while it was being suspended");
        assertThat(registry.get().lostSaves).hasValue(16);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenRegistryThatAlwaysLosesTheCompareAndSet_whenResuming_thenItGivesUpAfterSixteenTries() {
        AtomicReference<Decorators.Contested> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Contested(r, lease -> true));
            return registry.get();
        });
        registry.get().armed.set(false);
        world.provision(1);
        world.suspend.suspend(aTenant(1), "testing");
        registry.get().armed.set(true);

        assertThatThrownBy(() -> world.resume.resume(aTenant(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the lease of tenant-1 kept changing while it was being resumed");
        assertThat(registry.get().lostSaves).hasValue(16);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenTenantDeletedWhileResuming_whenResumed_thenNotFoundAndNothingStarts() {
        AtomicReference<Decorators.Vanishing> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Vanishing(r));
            return registry.get();
        });
        world.provision(1);
        world.suspend.suspend(aTenant(1), "testing");
        registry.get().armed.set(true);

        ChangeOutcome resumed = world.resume.resume(aTenant(1));

        assertThat(resumed).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenTenantDeletedWhileAProvisionResumesIt_thenTheAnswerIsTheSuspendedTenantAsLastSeen() {
        AtomicReference<Decorators.Vanishing> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Vanishing(r));
            return registry.get();
        });
        world.provision(1);
        world.suspend.suspend(aTenant(1), "testing");
        registry.get().armed.set(true);

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.AlreadyProvisioned.class,
                        already -> assertThat(already.status().lease().state()).isEqualTo(TenantState.SUSPENDED));
        assertThat(world.runtime.live()).isEmpty();
    }
}
