package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import org.junit.jupiter.api.Test;

/**
 * The {@link ContainerRuntime} contract. Adapters extend it, return their runtime, and arrange the
 * runtime's answers in the {@code given...} hooks (a real runtime, or a wire-level stand-in for one). What only some
 * runtimes can do is a further contract they implement ({@link SeesHostPorts}, {@link QueuesStartsForCapacity}), so a
 * runtime is never tested for what it cannot do, and no test is skipped for it.
 */
public abstract class ContainerRuntimeContract {

    /** The runtime under test, fresh for each test. */
    protected abstract ContainerRuntime runtime();

    /** From now on, starts find no room. */
    protected abstract void givenNoCapacity();

    /** The task that was started has reached running. */
    protected abstract void givenRunning(TaskId task);

    /** The task has stopped (or was stopped), and the runtime says so. */
    protected abstract void givenStopped(TaskId task);

    /** A task id of the right shape that the runtime has never heard of. */
    protected abstract TaskId unknownTask();

    protected static ContainerSpec aSpec(String tenant, int port) {
        return new ContainerSpec(TenantId.of(tenant), HostPort.of(port), tenant + "-g1-r0");
    }

    @Test
    void givenRoom_whenStarting_thenATaskIsStarted() {
        StartOutcome outcome = runtime().start(aSpec("acme", 3000));

        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
    }

    @Test
    void givenStartedTask_whenStartingWithSameToken_thenSameTaskAndNoSecondContainer() {
        StartOutcome first = runtime().start(aSpec("acme", 3000));

        StartOutcome again = runtime().start(aSpec("acme", 3000));

        assertThat(again).isEqualTo(first);
    }

    @Test
    void givenNoRoom_whenStarting_thenNoCapacityWithReason() {
        givenNoCapacity();

        StartOutcome outcome = runtime().start(aSpec("acme", 3000));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        StartOutcome.NoCapacity.class,
                        noCapacity -> assertThat(noCapacity.reason()).isNotBlank());
    }

    @Test
    void givenRunningTask_whenAskingStatus_thenRunning() {
        TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
        givenRunning(task);

        ContainerStatus status = runtime().status(task);

        assertThat(status.phase()).isEqualTo(ContainerStatus.Phase.RUNNING);
    }

    @Test
    void givenStoppedTask_whenAskingStatus_thenStoppedOrGone() {
        TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
        givenStopped(task);

        ContainerStatus status = runtime().status(task);

        assertThat(status.phase()).isIn(ContainerStatus.Phase.STOPPED, ContainerStatus.Phase.GONE);
    }

    @Test
    void givenUnknownTask_whenAskingStatus_thenGone() {
        assertThat(runtime().status(unknownTask()).phase()).isEqualTo(ContainerStatus.Phase.GONE);
    }

    @Test
    void givenStartedTask_whenStoppedTwice_thenBothSucceed() {
        TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();

        runtime().stop(task, TenantId.of("acme"), StopReason.DEPROVISION);
        givenStopped(task);
        runtime().stop(task, TenantId.of("acme"), StopReason.DEPROVISION);

        assertThat(runtime().status(task).phase()).isIn(ContainerStatus.Phase.STOPPED, ContainerStatus.Phase.GONE);
    }

    @Test
    void givenRunningTask_whenStopped_thenTheRuntimeReportsItStoppingOrStopped() {
        TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
        givenRunning(task);

        runtime().stop(task, TenantId.of("acme"), StopReason.DEPROVISION);

        // Asynchronous runtimes (ECS) may still be on the way down; the task must never be reported running again.
        assertThat(runtime().status(task).phase())
                .isIn(ContainerStatus.Phase.STOPPING, ContainerStatus.Phase.STOPPED, ContainerStatus.Phase.GONE);
    }

    @Test
    void givenRunningTask_whenStoppedForAReason_thenTheStoppedTaskIsReportedWithThatReason() {
        TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
        givenRunning(task);

        runtime().stop(task, TenantId.of("acme"), StopReason.SUSPEND);

        // On its way down or down, the task is reported with the reason it was stopped for (ECS: stoppedReason).
        assertThat(runtime().status(task).reason())
                .hasValueSatisfying(reason -> assertThat(reason).contains(StopReason.SUSPEND.text()));
    }

    @Test
    void givenUnknownTask_whenStopping_thenSucceedsAndStopsNothingElse() {
        TaskId other = ((StartOutcome.Started) runtime().start(aSpec("other", 3001))).task();
        givenRunning(other);

        runtime().stop(unknownTask(), TenantId.of("acme"), StopReason.DEPROVISION);

        assertThat(runtime().status(unknownTask()).phase()).isEqualTo(ContainerStatus.Phase.GONE);
        assertThat(runtime().status(other).phase()).isEqualTo(ContainerStatus.Phase.RUNNING);
    }

    @Test
    void givenTasksStartedForTenants_whenListingLiveTasks_thenEachIsListedWithItsTenantAndNoStoppedOne() {
        TaskId acme = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
        TaskId other = ((StartOutcome.Started) runtime().start(aSpec("other", 3001))).task();
        TaskId gone = ((StartOutcome.Started) runtime().start(aSpec("gone", 3002))).task();
        givenRunning(acme);
        givenRunning(gone);
        runtime().stop(gone, TenantId.of("gone"), StopReason.DEPROVISION);
        givenStopped(gone);

        java.util.List<LiveTask> live = runtime().liveTasks();

        assertThat(live).extracting(LiveTask::task).containsExactlyInAnyOrder(acme, other);
        assertThat(live)
                .filteredOn(task -> task.task().equals(acme))
                .singleElement()
                .satisfies(task -> {
                    assertThat(task.tenant()).isEqualTo(TenantId.of("acme"));
                    assertThat(task.startToken()).contains("acme-g1-r0");
                });
    }

    @Test
    void givenNoTasks_whenListingLiveTasks_thenNone() {
        assertThat(runtime().liveTasks()).isEmpty();
    }

    /**
     * For runtimes that see the host's ports (local processes; ECS with host networking places tasks without knowing
     * their ports, so it does not implement this).
     */
    public interface SeesHostPorts {

        ContainerRuntime runtime();

        /** Something the registry does not know of now holds {@code port}. */
        void givenPortTakenBySomethingElse(int port);

        @Test
        default void givenHostPortTakenBySomethingElse_whenStarting_thenPortInUseAndNothingStarted() {
            givenPortTakenBySomethingElse(3000);

            StartOutcome outcome = runtime().start(aSpec("acme", 3000));

            assertThat(outcome)
                    .isInstanceOfSatisfying(
                            StartOutcome.PortInUse.class,
                            inUse -> assertThat(inUse.reason()).isNotBlank());
            assertThat(runtime().start(aSpec("other", 3001))).isInstanceOf(StartOutcome.Started.class);
        }
    }

    /**
     * For runtimes that queue a start until room comes, as ECS queues tasks for a capacity provider, rather than
     * refusing it.
     */
    public interface QueuesStartsForCapacity {

        ContainerRuntime runtime();

        /** From now on, starts find no room but are queued until room comes. */
        void givenStartsQueuedForCapacity();

        /** The queued task gave up waiting for room, as ECS stops a task that capacity never came for. */
        void givenCapacityNeverCame(TaskId task);

        @Test
        default void
                givenStartQueuedForCapacityThatNeverComes_whenAskingStatus_thenPendingThenStoppedForLackOfCapacity() {
            givenStartsQueuedForCapacity();
            TaskId task = ((StartOutcome.Started) runtime().start(aSpec("acme", 3000))).task();
            assertThat(runtime().status(task).phase()).isEqualTo(ContainerStatus.Phase.PENDING);

            givenCapacityNeverCame(task);
            ContainerStatus status = runtime().status(task);

            assertThat(status.phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
            assertThat(status.noCapacity()).isTrue();
            assertThat(status.reason())
                    .hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
        }
    }
}
