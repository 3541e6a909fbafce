package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.Step;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.RestartPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants.Sweep;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A container that stops without being asked is started again on its port, after a backoff that grows, with no new
 * email; a crash loop ends in FAILED with the reason, and a provision or resume starts the tenant afresh.
 */
class RestartPolicyTest {

    private static final Sweep SWEEP = new Sweep(Duration.ofMinutes(5), 100);
    private static final String OOM = "exit code 137: OutOfMemoryError: Container killed due to memory usage";

    private static World world(RestartPolicy.Mode mode) {
        return new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults()
                        .withRestarts(new RestartPolicy(
                                mode,
                                RestartPolicy.DEFAULT_MAX_RESTARTS,
                                RestartPolicy.DEFAULT_WINDOW,
                                RestartPolicy.DEFAULT_BACKOFF)));
    }

    private final World world = new World();

    private TaskId running() {
        return statusOf(world.provision(1)).lease().task().orElseThrow();
    }

    private Lease observed(World in, TaskId task) {
        return in.observe
                .taskChanged(new ObserveTask.TaskChange(aTenant(1), task))
                .tenant()
                .orElseThrow()
                .lease();
    }

    /** The tenant's container crashes, and the runtime's event about it is observed. */
    private Lease crash(World in, TaskId task) {
        in.runtime.crash(task, OOM);
        return observed(in, task);
    }

    @Test
    void givenARunningTenant_whenItsContainerCrashes_thenStoppedWithTheReasonAndARestartDueAfterTheFirstBackoff() {
        TaskId task = running();
        Instant crashedAt = world.clock.instant();

        Lease after = crash(world, task);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(after.failure()).contains("container stopped: " + OOM);
        assertThat(after.crashes()).hasValueSatisfying(crashes -> {
            assertThat(crashes.count()).isEqualTo(1);
            assertThat(crashes.restartAt()).contains(crashedAt.plusSeconds(5));
        });
        assertThat(after.needsAttention()).isTrue();
        assertThat(world.runtime.live()).isEmpty();
        assertThat(after.timeline()).last().extracting(Step::name).isEqualTo("stopped");
    }

    @Test
    void givenACrashedTenant_whenItsBackoffHasPassedAndTheSweepRuns_thenANewContainerOnTheSamePortAndNoNewEmail() {
        TaskId first = running();
        Lease crashed = crash(world, first);
        world.clock.advance(Duration.ofSeconds(5));

        world.sweep().resume(SWEEP);

        Lease restarted = world.lease(1);
        assertThat(restarted.state()).isEqualTo(TenantState.RUNNING);
        assertThat(restarted.port()).isEqualTo(crashed.port());
        assertThat(restarted.task()).isPresent().isNotEqualTo(crashed.task());
        assertThat(restarted.restarts()).isEqualTo(1);
        assertThat(restarted.failure()).isEmpty();
        assertThat(world.runtime.live())
                .singleElement()
                .satisfies(container -> assertThat(container.port()).isEqualTo(crashed.requirePort()));
        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(restarted.timeline())
                .extracting(Step::name)
                .containsSubsequence("running", "emailed", "stopped", "restarting", "started", "running");
        assertThat(restarted.timeline())
                .filteredOn(step -> step.name().equals("restarting"))
                .singleElement()
                .satisfies(step ->
                        assertThat(step.detail()).contains("restart 1 of 5 after 5 s: container stopped: " + OOM));
    }

    @Test
    void givenACrashedTenant_whenTheSweepRunsBeforeItsBackoff_thenNothingStartsYet() {
        crash(world, running());
        world.clock.advance(Duration.ofSeconds(4));

        world.sweep().resume(SWEEP);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.STOPPED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenAContainerThatKeepsCrashing_whenEachRestartIsDue_thenTheBackoffGrowsAndTheCrashPastMaxRestartsFailsIt() {
        TaskId task = running();
        List<Duration> pauses = new ArrayList<>();
        for (int restart = 1; restart <= RestartPolicy.DEFAULT_MAX_RESTARTS; restart++) {
            Instant crashedAt = world.clock.instant();
            Lease crashed = crash(world, task);
            Instant due = crashed.crashes().orElseThrow().restartAt().orElseThrow();
            pauses.add(Duration.between(crashedAt, due));
            world.clock.set(due);
            world.sweep().resume(SWEEP);
            task = world.lease(1).task().orElseThrow();
            assertThat(world.lease(1).state()).as("restart %d", restart).isEqualTo(TenantState.RUNNING);
        }

        Lease failed = crash(world, task);

        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(10));
        assertThat(failed.state()).isEqualTo(TenantState.FAILED);
        assertThat(failed.failure())
                .contains("crash loop: the container stopped 6 times within 60 min (at most 5 restarts); last: " + OOM);
        assertThat(failed.port()).isEmpty();
        assertThat(world.registry.heldPorts(10))
                .as("its task is gone: the port is free")
                .isEmpty();
        assertThat(world.runtime.live()).isEmpty();
        assertThat(world.mailer.delivered()).hasSize(1);
        world.clock.advance(Duration.ofHours(1));
        world.sweep().resume(SWEEP);
        assertThat(world.lease(1).state())
                .as("a failed tenant is not restarted by itself")
                .isEqualTo(TenantState.FAILED);
    }

    @Test
    void givenCrashesFartherApartThanTheWindow_whenItCrashesAgain_thenTheCountStartsAnew() {
        crash(world, running());
        world.clock.advance(Duration.ofSeconds(5));
        world.sweep().resume(SWEEP);
        world.clock.advance(RestartPolicy.DEFAULT_WINDOW);

        Lease again = crash(world, world.lease(1).task().orElseThrow());

        assertThat(again.crashes())
                .hasValueSatisfying(crashes -> assertThat(crashes.count()).isEqualTo(1));
        assertThat(again.crashes().orElseThrow().restartAt())
                .contains(world.clock.instant().plusSeconds(5));
    }

    private Lease crashLooped() {
        TaskId task = running();
        for (int restart = 1; restart <= RestartPolicy.DEFAULT_MAX_RESTARTS; restart++) {
            world.clock.set(
                    crash(world, task).crashes().orElseThrow().restartAt().orElseThrow());
            world.sweep().resume(SWEEP);
            task = world.lease(1).task().orElseThrow();
        }
        return crash(world, task);
    }

    @Test
    void givenACrashLoopedTenant_whenResumed_thenItIsStartedAfresh() {
        Lease failed = crashLooped();

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome).isInstanceOf(ChangeOutcome.Changed.class);
        Lease fresh = world.lease(1);
        assertThat(fresh.state()).isEqualTo(TenantState.RUNNING);
        assertThat(fresh.generation()).isEqualTo(failed.generation() + 1);
        assertThat(fresh.crashes()).as("a fresh start has no crashes behind it").isEmpty();
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenACrashLoopedTenant_whenProvisionedAgain_thenItIsStartedAfresh() {
        Lease failed = crashLooped();

        ProvisionOutcome outcome = world.provision(1);

        assertThat(statusOf(outcome).lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(statusOf(outcome).lease().generation()).isEqualTo(failed.generation() + 1);
    }

    @Test
    void givenARestartWaitingForItsBackoff_whenProvisionedAgain_thenStartedAtOnce() {
        crash(world, running());

        Lease after = statusOf(world.provision(1)).lease();

        assertThat(after.state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.live()).hasSize(1);
        assertThat(after.restartPending()).isFalse();
    }

    @Test
    void givenAContainerThatStoppedBeforeItRan_whenItsRestartIsDue_thenStartedAgainOnItsPort() {
        world.runtime.startPending(true);
        Lease started = statusOf(world.provision(1)).lease();
        TaskId task = started.task().orElseThrow();
        world.runtime.crash(task, "CannotPullContainerError: pull access denied");
        observed(world, task);
        world.clock.advance(Duration.ofSeconds(5));

        world.sweep().resume(SWEEP);

        Lease again = world.lease(1);
        assertThat(again.state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(again.task()).isPresent().isNotEqualTo(started.task());
        assertThat(again.port()).isEqualTo(started.port());
    }

    @Test
    void givenACrashRestart_whenTheNewTaskThenStopsBeforeItRunsForASecretNotReadableYet_thenStartedAgainThreeTimes() {
        TaskId task = running();
        crash(world, task);
        world.clock.advance(Duration.ofSeconds(5));
        world.runtime.startPending(true);
        world.sweep().resume(SWEEP);
        for (int again = 1; again <= 3; again++) {
            task = world.lease(1).task().orElseThrow();
            world.runtime.failStart(
                    task, "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
            Lease after = observed(world, task);
            assertThat(after.state()).as("start again %d", again).isEqualTo(TenantState.CONTAINER_STARTED);
        }
    }

    @Test
    void givenATaskTheRuntimeLost_whenObserved_thenItIsACrashAndStartedAgain() {
        TaskId task = running();
        world.runtime.vanish(task);

        Lease after = observed(world, task);

        assertThat(after.failure()).contains("container stopped: task unknown to the runtime");
        assertThat(after.restartPending()).isTrue();
    }

    @Test
    void givenATaskStoppedByTheProvisionerBeforeItsLeaseMovedOn_whenObserved_thenNoCrashAndNoRestart() {
        TaskId task = running();
        // A deprovision stops the task first, then retires the lease; the task's event may come in between.
        world.runtime.stop(task, aTenant(1), dev.tenantprovisioner.domain.spi.StopReason.DEPROVISION);

        Lease after = observed(world, task);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(after.restartPending()).isFalse();
        assertThat(after.crashes()).isEmpty();
    }

    @Test
    void givenACrashedTenantSuspendedAndResumedDuringItsBackoff_whenItsAppThenExitsWithSuccess_thenItStaysStopped() {
        crash(world, running());
        world.suspend.suspend(aTenant(1), "invoice unpaid");
        world.resume.resume(aTenant(1));
        Lease resumed = world.lease(1);
        assertThat(resumed.state()).isEqualTo(TenantState.RUNNING);
        assertThat(resumed.restartPending())
                .as("the resume started it; no restart is due")
                .isFalse();
        TaskId task = resumed.task().orElseThrow();
        world.runtime.exitCleanly(task);

        Lease after = observed(world, task);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenACrashedTenantInItsBackoff_whenItsLinkIsVisited_thenTheWakeStartsNothingBeforeItIsDue() {
        crash(world, running());
        WakeTenant wake = new WakeTenant(world.registry, world.resume);

        wake.wake(aTenant(1));

        assertThat(world.lease(1).state()).isEqualTo(TenantState.STOPPED);
        assertThat(world.runtime.live()).isEmpty();

        world.clock.advance(Duration.ofSeconds(5));
        wake.wake(aTenant(1));

        assertThat(world.lease(1).state()).as("due now: started").isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenNever_whenACrashedTenantsLinkIsVisited_thenItStaysStopped() {
        World never = world(RestartPolicy.Mode.NEVER);
        crash(never, statusOf(never.provision(1)).lease().task().orElseThrow());

        new WakeTenant(never.registry, never.resume).wake(aTenant(1));

        assertThat(never.lease(1).state()).isEqualTo(TenantState.STOPPED);
        assertThat(never.runtime.live()).isEmpty();
    }

    @Test
    void givenOnFailure_whenTheAppExitsWithSuccess_thenItStaysStopped() {
        TaskId task = running();
        world.runtime.exitCleanly(task);

        Lease after = observed(world, task);
        world.clock.advance(Duration.ofHours(1));
        world.sweep().resume(SWEEP);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(after.crashes()).isEmpty();
        assertThat(world.lease(1).state()).isEqualTo(TenantState.STOPPED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenAlways_whenTheAppExitsWithSuccess_thenItIsStartedAgain() {
        World always = world(RestartPolicy.Mode.ALWAYS);
        TaskId task = statusOf(always.provision(1)).lease().task().orElseThrow();
        always.runtime.exitCleanly(task);

        Lease after = observed(always, task);
        always.clock.advance(Duration.ofSeconds(5));
        always.sweep().resume(SWEEP);

        assertThat(after.restartPending()).isTrue();
        assertThat(always.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenNever_whenTheContainerCrashes_thenItStaysStoppedUntilAProvision() {
        World never = world(RestartPolicy.Mode.NEVER);
        TaskId task = statusOf(never.provision(1)).lease().task().orElseThrow();

        Lease after = crash(never, task);
        never.clock.advance(Duration.ofHours(1));
        never.sweep().resume(SWEEP);

        assertThat(after.state()).isEqualTo(TenantState.STOPPED);
        assertThat(after.restartPending()).isFalse();
        assertThat(never.lease(1).state()).isEqualTo(TenantState.STOPPED);
        assertThat(never.runtime.live()).isEmpty();
        assertThat(statusOf(never.provision(1)).lease().state()).isEqualTo(TenantState.RUNNING);
    }

    private Lease crashLoopedIn(World in) {
        TaskId task = statusOf(in.provision(1)).lease().task().orElseThrow();
        for (int restart = 1; restart <= RestartPolicy.DEFAULT_MAX_RESTARTS; restart++) {
            in.clock.set(crash(in, task).crashes().orElseThrow().restartAt().orElseThrow());
            in.sweep().resume(SWEEP);
            task = in.lease(1).task().orElseThrow();
        }
        return crash(in, task);
    }

    private static World limited(int maxActive, int maxConcurrent, PortPool pool) {
        return new World(
                pool,
                ProvisioningPolicy.defaults()
                        .withLimits(new dev.tenantprovisioner.domain.usecase.Limits(
                                maxActive,
                                maxConcurrent,
                                dev.tenantprovisioner.domain.usecase.Limits.DEFAULT_SLOT_HOLD)));
    }

    @Test
    void givenACrashLoopedTenantAndEverySlotHeld_whenResumed_thenBusyAndStillFailed() {
        World world = limited(Integer.MAX_VALUE, 1, PortPool.range(3000, 3099));
        crashLoopedIn(world);
        world.registry.takeSlot(World.aTenant(9), 1, Duration.ofMinutes(2));

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Busy.class,
                        busy -> assertThat(busy.detail()).contains("MAX_CONCURRENT_PROVISIONS"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
    }

    @Test
    void givenACrashLoopedTenantWithAConcurrencyLimit_whenResumed_thenStartedAfreshAndItsSlotGivenBack() {
        World world = limited(Integer.MAX_VALUE, 1, PortPool.range(3000, 3099));
        crashLoopedIn(world);

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.registry.takeSlot(World.aTenant(9), 1, Duration.ofMinutes(2)))
                .isPresent();
    }

    @Test
    void givenACrashLoopedTenantWhosePlaceWasTaken_whenResumed_thenBusySayingWhy() {
        World world = limited(1, Integer.MAX_VALUE, PortPool.range(3000, 3099));
        crashLoopedIn(world);
        world.provision(2);

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Busy.class,
                        busy -> assertThat(busy.detail())
                                .isEqualTo("1 tenants hold a port already (MAX_ACTIVE_TENANTS)"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
    }

    @Test
    void givenACrashLoopedTenantAndNoFreePort_whenResumed_thenBusySayingSo() {
        World world = limited(Integer.MAX_VALUE, Integer.MAX_VALUE, PortPool.range(3000, 3000));
        crashLoopedIn(world);
        world.provision(2);

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Busy.class,
                        busy -> assertThat(busy.detail()).isEqualTo("no free port; resume again later"));
    }

    @Test
    void givenTenantsFailedForOtherReasons_whenResumed_thenRefusedAsBefore() {
        world.provision(1);
        world.registry.release(world.lease(1), "not ready: the link did not answer", true);

        assertThat(world.resume.resume(aTenant(1))).isInstanceOf(ChangeOutcome.Refused.class);
    }

    @Test
    void givenRestartPolicies_thenTheirBoundsAndBackoffsAreAsConfigured() {
        RestartPolicy one =
                new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofMinutes(1), List.of(Duration.ZERO));
        assertThat(one.backoffAfter(1)).isEqualTo(Duration.ZERO);
        assertThat(one.backoffAfter(7)).isEqualTo(Duration.ZERO);
        assertThat(RestartPolicy.defaults().backoffAfter(0)).isEqualTo(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RestartPolicy(
                        RestartPolicy.Mode.ON_FAILURE, 0, Duration.ofMinutes(1), List.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ZERO, List.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofMinutes(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RestartPolicy(
                        RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofMinutes(1), List.of(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenAPolicy_whenAnySettingIsChanged_thenItsRestartsAndLimitsAreKept() {
        RestartPolicy restarts =
                new RestartPolicy(RestartPolicy.Mode.NEVER, 2, Duration.ofMinutes(3), List.of(Duration.ofSeconds(1)));
        dev.tenantprovisioner.domain.usecase.Limits limits =
                new dev.tenantprovisioner.domain.usecase.Limits(3, 4, Duration.ofMinutes(1));
        ProvisioningPolicy policy =
                ProvisioningPolicy.defaults().withRestarts(restarts).withLimits(limits);

        for (ProvisioningPolicy changed : List.of(
                policy.withNotifyWhen(dev.tenantprovisioner.domain.usecase.NotificationPolicy.WHEN_RUNNING),
                policy.withPublicHost(dev.tenantprovisioner.domain.model.Ipv4Address.of("54.1.2.3")),
                policy.withUrlFormat(dev.tenantprovisioner.domain.model.AccessUrlFormat.sslip()),
                policy.withStartDeadline(Duration.ofMinutes(3)),
                policy.withPortHoldGrace(Duration.ofMinutes(3)),
                policy.withReadyDeadline(Duration.ofMinutes(3)),
                policy.withNotificationsElsewhere())) {
            assertThat(changed.restarts()).isEqualTo(restarts);
            assertThat(changed.limits()).isEqualTo(limits);
        }
        assertThat(policy.withReadyDeadline(Duration.ofMinutes(3)).readyDeadline())
                .isEqualTo(Duration.ofMinutes(3));
    }
}
