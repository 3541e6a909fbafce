package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.Limits;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * MAX_ACTIVE_TENANTS and MAX_CONCURRENT_PROVISIONS: over either, a provision is refused and nothing is made (no port, no
 * lease, no container); tenants that hold a port already are never refused.
 */
class LimitsTest {

    private static World world(int maxActive, int maxConcurrent) {
        return new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults()
                        .withLimits(new Limits(maxActive, maxConcurrent, Limits.DEFAULT_SLOT_HOLD)));
    }

    @Test
    void givenTheActiveLimitReached_whenANewTenantProvisions_thenRefusedAndNothingIsMade() {
        World world = world(2, Integer.MAX_VALUE);
        world.provision(1);
        world.provision(2);

        ProvisionOutcome refused = world.provision(3);

        assertThat(refused).isInstanceOfSatisfying(ProvisionOutcome.LimitReached.class, limit -> {
            assertThat(limit.limit()).isEqualTo(ProvisionOutcome.Limit.ACTIVE_TENANTS);
            assertThat(limit.detail()).startsWith("2 tenants hold a port already (MAX_ACTIVE_TENANTS)");
        });
        assertThat(world.registry.find(aTenant(3))).isEmpty();
        assertThat(world.runtime.all()).hasSize(2);
        assertThat(world.mailer.delivered()).hasSize(2);
        assertThat(world.provision(1))
                .as("a tenant that holds a port is never refused")
                .isInstanceOf(ProvisionOutcome.AlreadyProvisioned.class);
    }

    @Test
    void givenTheActiveLimitReached_whenATenantIsDeprovisioned_thenTheNextOneFits() {
        World world = world(2, Integer.MAX_VALUE);
        world.provision(1);
        world.provision(2);
        world.deprovision(1);

        assertThat(world.provision(3)).isInstanceOf(ProvisionOutcome.Provisioned.class);
        assertThat(world.provision(4)).isInstanceOf(ProvisionOutcome.LimitReached.class);
    }

    @Test
    void givenEverySlotHeldByProvisionsElsewhere_whenANewTenantProvisions_thenRefusedForNowAndNothingIsMade() {
        World world = world(Integer.MAX_VALUE, 1);
        ProvisionSlot elsewhere =
                world.registry.takeSlot(aTenant(9), 1, Limits.DEFAULT_SLOT_HOLD).orElseThrow();

        ProvisionOutcome refused = world.provision(1);

        assertThat(refused).isInstanceOfSatisfying(ProvisionOutcome.LimitReached.class, limit -> {
            assertThat(limit.limit()).isEqualTo(ProvisionOutcome.Limit.CONCURRENT_PROVISIONS);
            assertThat(limit.detail()).contains("MAX_CONCURRENT_PROVISIONS").contains("try again");
        });
        assertThat(world.registry.find(aTenant(1))).isEmpty();
        assertThat(world.runtime.all()).isEmpty();

        world.registry.releaseSlot(elsewhere);
        assertThat(world.provision(1)).isInstanceOf(ProvisionOutcome.Provisioned.class);
        assertThat(world.registry.takeSlot(aTenant(9), 1, Limits.DEFAULT_SLOT_HOLD))
                .as("a finished provision gives its slot back")
                .isPresent();
    }

    @Test
    void givenASlotWhoseHolderDied_whenItsTimeHasPassed_thenAProvisionTakesIt() {
        World world = world(Integer.MAX_VALUE, 1);
        world.registry.takeSlot(aTenant(9), 1, Limits.DEFAULT_SLOT_HOLD);

        world.clock.advance(Limits.DEFAULT_SLOT_HOLD.plusSeconds(1));

        assertThat(world.provision(1)).isInstanceOf(ProvisionOutcome.Provisioned.class);
    }

    @Test
    void givenEverySlotHeld_whenASuspendedTenantIsResumed_thenBusyAndItStaysSuspended() {
        World world = world(Integer.MAX_VALUE, 1);
        world.provision(1);
        world.suspend.suspend(aTenant(1), "test");
        world.registry.takeSlot(aTenant(9), 1, Limits.DEFAULT_SLOT_HOLD);

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ChangeOutcome.Busy.class,
                        busy -> assertThat(busy.detail()).contains("MAX_CONCURRENT_PROVISIONS"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenManyCallersAtOnce_whenEachProvisionsAnotherTenant_thenExactlyTheLimitIsProvisioned() throws Exception {
        World world = world(5, Integer.MAX_VALUE);
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CyclicBarrier together = new CyclicBarrier(callers);
        try {
            List<Future<ProvisionOutcome>> answers = new ArrayList<>();
            for (int n = 1; n <= callers; n++) {
                int tenant = n;
                answers.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return world.provision(tenant);
                }));
            }
            List<ProvisionOutcome> outcomes = new ArrayList<>();
            for (Future<ProvisionOutcome> answer : answers) {
                outcomes.add(answer.get(60, TimeUnit.SECONDS));
            }

            assertThat(outcomes)
                    .filteredOn(ProvisionOutcome.Provisioned.class::isInstance)
                    .hasSize(5);
            assertThat(outcomes)
                    .filteredOn(ProvisionOutcome.LimitReached.class::isInstance)
                    .hasSize(callers - 5);
            assertThat(world.registry.activeTenants()).isEqualTo(5);
            assertThat(world.runtime.live()).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenNoLimits_whenProvisioningAndResuming_thenNoSlotIsEverAskedFor() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        World world = new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults(),
                r -> r,
                registry -> new Decorators.Registry(registry) {
                    @Override
                    public java.util.Optional<ProvisionSlot> takeSlot(
                            dev.tenantprovisioner.domain.model.TenantId tenant, int max, Duration hold) {
                        asked.incrementAndGet();
                        return super.takeSlot(tenant, max, hold);
                    }
                },
                m -> m);

        world.provision(1);
        world.suspend.suspend(aTenant(1), "test");
        world.resume.resume(aTenant(1));

        assertThat(asked).hasValue(0);
    }

    @Test
    void givenAConcurrencyLimit_whenASuspendedTenantIsResumed_thenItRunsAndItsSlotIsGivenBack() {
        World world = world(Integer.MAX_VALUE, 1);
        world.provision(1);
        world.suspend.suspend(aTenant(1), "test");

        ChangeOutcome outcome = world.resume.resume(aTenant(1));

        assertThat(outcome).isInstanceOf(ChangeOutcome.Changed.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.registry.takeSlot(aTenant(9), 1, Limits.DEFAULT_SLOT_HOLD))
                .isPresent();
    }

    @Test
    void givenAPortInUseAndAnotherTenantTakingTheLastPlaceMeanwhile_whenTheProvisionMovesOn_thenRefusedAtTheLimit() {
        World world = new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults().withLimits(new Limits(1, Integer.MAX_VALUE, Limits.DEFAULT_SLOT_HOLD)),
                r -> r,
                registry -> new Decorators.Registry(registry) {
                    @Override
                    public dev.tenantprovisioner.domain.model.Lease release(
                            dev.tenantprovisioner.domain.model.Lease current, String reason, boolean holdPort) {
                        dev.tenantprovisioner.domain.model.Lease released = super.release(current, reason, holdPort);
                        // Another signup lands between the port found in use and the next grant.
                        registry.grant(aTenant(2), World.anEmail(2), false, 1);
                        return released;
                    }
                },
                m -> m);
        world.runtime.start(new dev.tenantprovisioner.domain.spi.ContainerSpec(
                aTenant(9), dev.tenantprovisioner.domain.model.HostPort.of(3000), "squatter-g1-r0"));

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.LimitReached.class,
                        limit -> assertThat(limit.limit()).isEqualTo(ProvisionOutcome.Limit.ACTIVE_TENANTS));
        assertThat(world.registry.activeTenants()).isEqualTo(1);
    }

    @Test
    void givenACheckoutOverTheLimit_whenApplied_thenStripeIsToldToDeliverItAgainAndItIsNotRemembered() {
        World world = world(1, Integer.MAX_VALUE);
        world.provision(2);
        dev.tenantprovisioner.domain.usecase.BillingEvent checkout =
                new dev.tenantprovisioner.domain.usecase.BillingEvent(
                        "evt_1",
                        dev.tenantprovisioner.domain.usecase.BillingEvent.Kind.CHECKOUT_COMPLETED,
                        world.clock.instant(),
                        java.util.Optional.of(aTenant(1)),
                        java.util.Optional.of(World.anEmail(1)),
                        java.util.Optional.of("cus_1"),
                        java.util.Optional.of("sub_1"),
                        java.util.Optional.of("paid"),
                        java.util.Optional.empty());

        dev.tenantprovisioner.domain.usecase.BillingOutcome outcome = world.billing.apply(checkout);

        assertThat(outcome.action())
                .isEqualTo(dev.tenantprovisioner.domain.usecase.BillingOutcome.Action.LIMIT_REACHED);
        assertThat(outcome.retryLater()).isTrue();
        assertThat(outcome.detail()).contains("MAX_ACTIVE_TENANTS");
        assertThat(world.billingRecords.processed("evt_1")).isFalse();
        assertThat(world.registry.find(aTenant(1))).isEmpty();
    }

    @Test
    void givenUnlimitedLimits_thenNoConcurrencyIsLimitedAndBoundsAreChecked() {
        assertThat(Limits.none().limitsConcurrency()).isFalse();
        assertThat(new Limits(Integer.MAX_VALUE, 1, Limits.DEFAULT_SLOT_HOLD).limitsConcurrency())
                .isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits(0, 1, Limits.DEFAULT_SLOT_HOLD))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits(1, 0, Limits.DEFAULT_SLOT_HOLD))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits(1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** One step of a property run: provision, deprovision, or suspend a tenant, or let time pass. */
    record Step(int kind, int tenant) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers()
                .between(0, 3)
                .flatMap(kind -> Arbitraries.integers().between(1, 8).map(tenant -> new Step(kind, tenant)))
                .list()
                .ofMaxSize(40);
    }

    @Property(tries = 200)
    void
            givenAnyOrderOfProvisionsRemovalsAndSuspensions_thenNeverMoreTenantsHoldAPortThanTheLimitAndARefusalMakesNothing(
                    @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 1, max = 4) int max) {
        World world = world(max, Integer.MAX_VALUE);
        for (Step step : steps) {
            switch (step.kind()) {
                case 0:
                    boolean hadLease =
                            world.registry.find(aTenant(step.tenant())).isPresent();
                    int containers = world.runtime.all().size();
                    ProvisionOutcome outcome = world.provision(step.tenant());
                    if (outcome instanceof ProvisionOutcome.LimitReached) {
                        assertThat(world.registry.find(aTenant(step.tenant())).isPresent())
                                .isEqualTo(hadLease);
                        assertThat(world.runtime.all()).hasSize(containers);
                        assertThat(world.registry.activeTenants()).isEqualTo(max);
                    }
                    break;
                case 1:
                    world.deprovision(step.tenant());
                    break;
                case 2:
                    world.suspend.suspend(aTenant(step.tenant()), "test");
                    break;
                default:
                    world.clock.advance(Duration.ofMinutes(1));
                    break;
            }
            long holding = world.registry.list(100).stream()
                    .filter(lease -> lease.state().holdsPort())
                    .count();
            assertThat(holding).isLessThanOrEqualTo(max).isEqualTo(world.registry.activeTenants());
        }
    }
}
