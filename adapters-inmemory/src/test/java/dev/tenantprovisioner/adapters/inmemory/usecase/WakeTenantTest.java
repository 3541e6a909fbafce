package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A tenant asleep for idleness wakes on a visit; one suspended for anything else does not. */
class WakeTenantTest {

    private static WakeTenant wakeOf(World world) {
        return new WakeTenant(world.registryAsSeen(), world.resume);
    }

    private static World withTenantAsleep() {
        World world = new World();
        world.provision(1);
        world.suspend.sleep(aTenant(1), "no traffic for 30 min");
        return world;
    }

    @Test
    void givenATenantAsleep_whenVisited_thenItRunsAgainOnTheSamePortWithTheSameLinkAndNoNewEmail() {
        World world = withTenantAsleep();
        Lease asleep = world.lease(1);
        var linkAsleep = world.describe(1).accessUrl();
        assertThat(asleep.sleeping()).isTrue();
        assertThat(asleep.failure()).contains("asleep: no traffic for 30 min; a visit to its link wakes it");

        ChangeOutcome woken = wakeOf(world).wake(aTenant(1));

        assertThat(woken)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        changed -> assertThat(changed.already()).isFalse());
        Lease awake = world.lease(1);
        assertThat(awake.state()).isEqualTo(TenantState.RUNNING);
        assertThat(awake.sleeping()).isFalse();
        assertThat(awake.port()).isEqualTo(asleep.port());
        assertThat(world.describe(1).accessUrl()).isPresent().isEqualTo(linkAsleep);
        assertThat(world.mailer.accepted())
                .as("the welcome email of the first start only")
                .hasSize(1);
        assertThat(world.runtime.live())
                .singleElement()
                .satisfies(container -> assertThat(container.port()).isEqualTo(HostPort.of(3000)));
    }

    @Test
    void givenATenantAsleep_whenManyVisitsArriveAtOnce_thenOneContainerIsStarted() throws Exception {
        World world = withTenantAsleep();
        int before = world.runtime.all().size();
        ExecutorService visitors = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ChangeOutcome>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                answers.add(visitors.submit(() -> {
                    go.await();
                    return wakeOf(world).wake(aTenant(1));
                }));
            }
            go.countDown();
            for (Future<ChangeOutcome> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isInstanceOf(ChangeOutcome.Changed.class);
            }
        } finally {
            visitors.shutdownNow();
        }

        assertThat(world.runtime.all()).hasSize(before + 1);
        assertThat(world.runtime.live()).hasSize(1);
        assertThat(answers.stream().map(this::get).filter(outcome -> !((ChangeOutcome.Changed) outcome).already()))
                .as("exactly one visit woke it; the others found it on its way")
                .hasSize(1);
    }

    private ChangeOutcome get(Future<ChangeOutcome> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void givenATenantSuspendedForBilling_whenVisited_thenRefusedWithTheReasonAndItStaysDown() {
        World world = new World();
        world.provision(1);
        world.suspend.suspend(aTenant(1), "invoice unpaid");

        ChangeOutcome answer = wakeOf(world).wake(aTenant(1));

        assertThat(answer)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Refused.class,
                        refused -> assertThat(refused.detail())
                                .contains("suspended: invoice unpaid")
                                .contains("a visit does not wake it"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenATenantAsleep_whenBillingSuspendsItToo_thenAVisitNoLongerWakesIt() {
        World world = withTenantAsleep();

        ChangeOutcome suspended = world.suspend.suspend(aTenant(1), "invoice unpaid");

        assertThat(suspended).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).sleeping()).isFalse();
        assertThat(world.lease(1).failure()).contains("suspended: invoice unpaid");
        assertThat(wakeOf(world).wake(aTenant(1))).isInstanceOf(ChangeOutcome.Refused.class);
    }

    @Test
    void givenATenantSuspendedForBilling_whenTheIdleSweepPutsItToSleep_thenItStaysSuspendedForBilling() {
        World world = new World();
        world.provision(1);
        world.suspend.suspend(aTenant(1), "invoice unpaid");

        world.suspend.sleep(aTenant(1), "no traffic for 30 min");

        assertThat(world.lease(1).sleeping()).isFalse();
        assertThat(world.lease(1).failure()).contains("suspended: invoice unpaid");
    }

    @Test
    void givenAnAwakeTenant_whenVisitedThroughTheWakeRoute_thenAlreadyAwakeAndNothingStarts() {
        World world = new World();
        world.provision(1);

        ChangeOutcome answer = wakeOf(world).wake(aTenant(1));

        assertThat(answer)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Changed.class,
                        changed -> assertThat(changed.already()).isTrue());
        assertThat(world.runtime.all()).hasSize(1);
    }

    @Test
    void
            givenEveryProvisionSlotHeldElsewhere_whenAnAsleepTenantIsVisited_thenBusyNothingStartsAndTheNextVisitWakesIt() {
        World world = new World(
                dev.tenantprovisioner.domain.model.PortPool.range(3000, 3099),
                dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults()
                        .withLimits(new dev.tenantprovisioner.domain.usecase.Limits(
                                Integer.MAX_VALUE, 1, dev.tenantprovisioner.domain.usecase.Limits.DEFAULT_SLOT_HOLD)));
        world.provision(1);
        world.suspend.sleep(aTenant(1), "no traffic");
        int started = world.runtime.all().size();
        var elsewhere = world.registry
                .takeSlot(aTenant(9), 1, dev.tenantprovisioner.domain.usecase.Limits.DEFAULT_SLOT_HOLD)
                .orElseThrow();

        ChangeOutcome busy = wakeOf(world).wake(aTenant(1));

        assertThat(busy)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Busy.class,
                        refused -> assertThat(refused.detail()).contains("MAX_CONCURRENT_PROVISIONS"));
        assertThat(world.runtime.all())
                .as("no container started over the limit")
                .hasSize(started);
        assertThat(world.lease(1).sleeping()).isTrue();

        world.registry.releaseSlot(elsewhere);
        assertThat(wakeOf(world).wake(aTenant(1))).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenATenantAsleepWhoseContainerIsStillStopping_whenVisited_thenBusyAndAskAgain() {
        World world = new World();
        world.provision(1);
        var task = world.lease(1).task().orElseThrow();
        world.runtime.failNextCall(new dev.tenantprovisioner.domain.spi.InfrastructureException("slow", true));
        try {
            world.suspend.sleep(aTenant(1), "no traffic");
        } catch (dev.tenantprovisioner.domain.spi.InfrastructureException stillRunning) {
            // the stop did not reach the runtime: the container is still up
        }
        assertThat(world.runtime.live()).extracting(c -> c.task()).contains(task);

        ChangeOutcome answer = wakeOf(world).wake(aTenant(1));

        assertThat(answer).isInstanceOf(ChangeOutcome.Busy.class);
    }

    @Test
    void givenATenantThatFailed_whenVisited_thenRefusedWithWhyItFailed() {
        World world = new World();
        world.runtime.withCapacity(0);
        world.provision(1);

        ChangeOutcome answer = wakeOf(world).wake(aTenant(1));

        assertThat(answer)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Refused.class,
                        refused -> assertThat(refused.detail())
                                .isEqualTo(
                                        "tenant tenant-1 is failed (no capacity: RESOURCE:MEMORY): there is nothing to wake"));
    }

    @Test
    void givenNoSuchTenantOrAGoneOne_whenVisited_thenNotFoundOrRefused() {
        World world = new World();
        world.provision(2);
        world.deprovision(2);

        assertThat(wakeOf(world).wake(aTenant(1))).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(wakeOf(world).wake(aTenant(2)))
                .isInstanceOfSatisfying(
                        ChangeOutcome.Refused.class,
                        refused -> assertThat(refused.detail())
                                .contains("deprovisioned")
                                .contains("nothing to wake"));
    }

    /**
     * Whatever mix of idle sleep, billing suspension, visits, resumes and deprovisions: a tenant has at most one live
     * container, a tenant suspended for billing is never started by a visit, and a sleeping flag is only ever on a
     * suspended lease.
     */
    @Property(tries = 200)
    void givenAnyMixOfSleepSuspendVisitAndResume_thenOneContainerAtMostAndBillingHoldsAgainstVisits(
            @ForAll("actions") List<String> actions) {
        World world = new World();
        world.provision(1);
        for (String action : actions) {
            boolean billingSuspended = world.lease(1).state() == TenantState.SUSPENDED
                    && !world.lease(1).sleeping();
            int liveBefore = world.runtime.live().size();
            switch (action) {
                case "sleep" -> world.suspend.sleep(aTenant(1), "idle");
                case "suspend" -> world.suspend.suspend(aTenant(1), "unpaid");
                case "visit" -> wakeOf(world).wake(aTenant(1));
                case "resume" -> world.resume.resume(aTenant(1));
                case "provision" -> world.provision(1);
                default -> world.revive(1);
            }
            if (action.equals("visit") && billingSuspended) {
                assertThat(world.runtime.live()).hasSize(liveBefore);
                assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
            }
            assertThat(world.runtime.live().stream().filter(c -> c.tenant().equals(aTenant(1))))
                    .hasSizeLessThanOrEqualTo(1);
            Lease lease = world.lease(1);
            assertThat(!lease.sleeping() || lease.state() == TenantState.SUSPENDED)
                    .isTrue();
        }
    }

    @Provide
    Arbitrary<List<String>> actions() {
        return Arbitraries.of("sleep", "suspend", "visit", "resume", "provision", "revive")
                .list()
                .ofMaxSize(20);
    }
}
