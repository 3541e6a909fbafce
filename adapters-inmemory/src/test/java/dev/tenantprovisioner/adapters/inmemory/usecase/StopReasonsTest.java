package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each use case tells the runtime why it stops a task, so a stopped task found later says what happened to it. */
class StopReasonsTest {

    private final World world = new World();

    private TaskId taskOf(int tenant) {
        return world.lease(tenant).task().orElseThrow();
    }

    @Test
    void givenRunningTenant_whenSuspended_thenItsTaskIsStoppedForASuspension() {
        world.provision(1);
        TaskId task = taskOf(1);

        world.suspend.suspend(aTenant(1), "invoice unpaid");

        assertThat(world.runtime.stopReason(task)).contains(StopReason.SUSPEND);
    }

    @Test
    void givenRunningTenant_whenDeprovisioned_thenItsTaskIsStoppedForADeprovision() {
        world.provision(1);
        TaskId task = taskOf(1);

        world.deprovision(1);

        assertThat(world.runtime.stopReason(task)).contains(StopReason.DEPROVISION);
    }

    @Test
    void givenTaskWaitingForCapacity_whenPastTheStartDeadline_thenItIsStoppedForTheDeadline() {
        World waiting = new World(
                PortPool.range(3000, 3001), ProvisioningPolicy.defaults().withStartDeadline(Duration.ofMinutes(10)));
        waiting.runtime.withCapacity(0).queueWhenFull(true);
        TaskId task = statusOf(waiting.provision(1)).lease().task().orElseThrow();

        waiting.clock.advance(Duration.ofMinutes(11));
        waiting.describe(1);

        assertThat(waiting.runtime.stopReason(task)).contains(StopReason.START_DEADLINE);
    }

    @Test
    void givenStoppedTenant_whenProvisionedAgain_thenTheOldTaskIsStoppedForTheRestart() {
        world.provision(1);
        TaskId first = taskOf(1);
        world.runtime.crash(first);
        world.describe(1);

        world.provision(1);

        assertThat(world.runtime.stopReason(first)).contains(StopReason.RESTART);
        assertThat(taskOf(1)).isNotEqualTo(first);
    }
}
