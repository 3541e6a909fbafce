package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A lease records each step it is stored in, once, with its time and reason, and keeps the last few dozen. */
class LeaseTimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private static Lease granted() {
        return Lease.granted(TenantId.of("acme"), Email.of("a@example.com"), HostPort.of(3001), Optional.empty(), T0);
    }

    private static List<String> names(Lease lease) {
        return lease.timeline().stream().map(Step::name).toList();
    }

    @Test
    void givenAProvisionFromGrantToEmail_thenEachStepOnceWithTheTimeItWasStored() {
        Lease lease = granted();
        lease = lease.stored(T0.plusSeconds(1)); // a write that changes no step
        lease = lease.started(TaskId.of("task-1"), T0).stored(T0.plusSeconds(2));
        lease = lease.withState(TenantState.RUNNING).stored(T0.plusSeconds(9));
        lease = lease.withNotification(NotificationState.SENT, Optional.empty()).stored(T0.plusSeconds(10));
        lease = lease.stored(T0.plusSeconds(11));

        assertThat(names(lease)).containsExactly("allocated", "started", "running", "emailed");
        assertThat(lease.timeline().get(0)).isEqualTo(new Step("allocated", T0, Optional.of("port 3001")));
        assertThat(lease.timeline().get(2).at()).isEqualTo(T0.plusSeconds(9));
        assertThat(lease.timeline().get(3).at()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void givenAStopARestartAndASuspension_thenTheyAreStepsWithTheirReasonsAndNoSecondEmail() {
        Lease lease = granted()
                .started(TaskId.of("task-1"), T0)
                .withState(TenantState.RUNNING)
                .withNotification(NotificationState.SENT, Optional.empty())
                .stored(T0.plusSeconds(1));
        lease = lease.withState(TenantState.STOPPED)
                .withFailure("container stopped: OOM")
                .stored(T0.plusSeconds(2));
        lease = lease.restarted().stored(T0.plusSeconds(3));
        lease = lease.started(TaskId.of("task-2"), T0)
                .withState(TenantState.RUNNING)
                .stored(T0.plusSeconds(4));
        lease = lease.suspended("invoice payment failed").stored(T0.plusSeconds(5));

        assertThat(names(lease))
                .containsExactly("allocated", "running", "emailed", "stopped", "restarting", "running", "suspended");
        assertThat(lease.timeline().get(3).detail()).contains("container stopped: OOM");
        assertThat(lease.timeline().get(6).detail()).contains("suspended: invoice payment failed");
    }

    @Test
    void givenANewGeneration_thenItsHistoryFollowsTheOldOneAndItsEmailIsAStepAgain() {
        Lease first = granted()
                .withNotification(NotificationState.FAILED, Optional.empty())
                .stored(T0.plusSeconds(1));
        Lease failed = first.released(TenantState.FAILED, Optional.of("no capacity: RESOURCE:MEMORY"))
                .stored(T0.plusSeconds(2));
        Lease second = Lease.granted(
                        TenantId.of("acme"), Email.of("a@example.com"), HostPort.of(3002), Optional.of(failed), T0)
                .withNotification(NotificationState.SENT, Optional.empty())
                .stored(T0.plusSeconds(3));

        assertThat(names(second)).containsExactly("allocated", "email failed", "failed", "allocated", "emailed");
        assertThat(second.timeline().get(2).detail()).contains("no capacity: RESOURCE:MEMORY");
        assertThat(Lease.tombstone(TenantId.of("gone"), T0).timeline())
                .extracting(Step::name)
                .containsExactly("deprovisioned");
    }

    @Test
    void givenMoreStepsThanTheLeaseKeeps_thenTheOldestGo() {
        Lease lease = granted();
        for (int i = 0; i < Lease.MAX_STEPS; i++) {
            lease = lease.withState(TenantState.STOPPED).stored(T0.plusSeconds(2L * i + 1));
            lease = lease.restarted().stored(T0.plusSeconds(2L * i + 2));
        }

        assertThat(lease.timeline()).hasSize(Lease.MAX_STEPS);
        assertThat(lease.timeline().get(Lease.MAX_STEPS - 1).name()).isEqualTo("restarting");
        assertThat(lease.timeline().get(Lease.MAX_STEPS - 1).at()).isEqualTo(T0.plusSeconds(2L * Lease.MAX_STEPS));
        assertThat(names(lease)).doesNotContain("allocated");
    }

    @Test
    void givenExactlyAsManyStepsAsKept_thenNoneIsDropped() {
        Lease lease = granted();
        for (int i = 1; i < Lease.MAX_STEPS; i++) {
            lease = (i % 2 == 1 ? lease.withState(TenantState.STOPPED) : lease.restarted()).stored(T0.plusSeconds(i));
        }

        assertThat(lease.timeline()).hasSize(Lease.MAX_STEPS);
        assertThat(lease.timeline().get(0).name()).isEqualTo("allocated");
    }

    @Test
    void givenTimelinesWithoutTheirStart_thenAnEmailIsRecordedOnceStill() {
        Lease restoredRunning = Lease.Builder.restore(TenantId.of("old"), TenantState.RUNNING, T0)
                .email(Email.of("a@example.com"))
                .port(HostPort.of(3001))
                .notification(NotificationState.SENT)
                .build();
        Lease mailedFirst = restoredRunning.toBuilder()
                .timeline(List.of(new Step("emailed", T0, Optional.empty())))
                .build();

        assertThat(names(restoredRunning.stored(T0.plusSeconds(1)))).containsExactly("running", "emailed");
        assertThat(names(mailedFirst.stored(T0.plusSeconds(1)))).containsExactly("emailed", "running");
    }
}
