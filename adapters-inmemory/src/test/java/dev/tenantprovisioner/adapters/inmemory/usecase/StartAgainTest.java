package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import org.junit.jupiter.api.Test;

/**
 * A task that stops before it runs because what it needs is not readable yet (on ECS: a secret written a moment ago;
 * Secrets Manager is eventually consistent, user guide, "Troubleshoot AWS Secrets Manager") is started again by the
 * runtime's next word on it, not left stopped and not reported as no capacity.
 */
class StartAgainTest {

    /**
     * The reason ECS's agent gives for a secret Secrets Manager cannot find (ECS developer guide, "Troubleshoot Amazon
     * ECS ResourceNotFoundException errors").
     */
    private static final String NOT_READABLE_YET =
            "Fetching secret data from AWS Secrets Manager in region eu-west-1: secret arn:aws:secretsmanager:"
                    + "eu-west-1:123456789012:secret:tenant-provisioner/tenants/tenant-1-AbCdEf: ResourceNotFoundException:"
                    + " Secrets Manager can't find the specified secret.";

    private final World world = new World();

    private TaskId pendingTask() {
        world.runtime.startPending(true);
        return statusOf(world.provision(1)).lease().task().orElseThrow();
    }

    private Lease observed(TaskId task) {
        return world.observe
                .taskChanged(new ObserveTask.TaskChange(aTenant(1), task))
                .tenant()
                .orElseThrow()
                .lease();
    }

    @Test
    void givenATaskThatStoppedBeforeItRanForASecretNotReadableYet_whenItsStopIsObserved_thenANewTaskStartsOnThePort() {
        TaskId first = pendingTask();
        int port = world.lease(1).requirePort().value();

        world.runtime.failStart(first, NOT_READABLE_YET);
        Lease after = observed(first);

        assertThat(after.state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(after.task()).isPresent().isNotEqualTo(java.util.Optional.of(first));
        assertThat(after.requirePort().value()).isEqualTo(port);
        assertThat(after.restarts()).isEqualTo(1);
        assertThat(after.timeline())
                .anySatisfy(step -> assertThat(step.detail())
                        .hasValueSatisfying(detail -> assertThat(detail)
                                .startsWith("started again: the task stopped before it ran: ")
                                .contains("ResourceNotFoundException")));
        assertThat(world.registry.heldPorts(10)).isEmpty();
    }

    @Test
    void
            givenTheTaskKeepsStoppingBeforeItRuns_whenObservedEachTime_thenStartedAgainThreeTimesThenLeftStoppedWithTheReason() {
        TaskId task = pendingTask();
        for (int again = 1; again <= 3; again++) {
            world.runtime.failStart(task, NOT_READABLE_YET);
            Lease after = observed(task);
            assertThat(after.state()).as("start %d", again).isEqualTo(TenantState.CONTAINER_STARTED);
            task = after.task().orElseThrow();
        }

        world.runtime.failStart(task, NOT_READABLE_YET);
        Lease after = observed(task);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(after.failure()).hasValue("container stopped: " + NOT_READABLE_YET);
        assertThat(after.restarts()).isEqualTo(3);
        assertThat(world.runtime.live()).isEmpty();
    }
}
