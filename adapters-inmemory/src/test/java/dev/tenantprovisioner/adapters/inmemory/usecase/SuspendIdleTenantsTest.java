package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idle suspension on in-memory adapters, with traffic the test says it saw. */
class SuspendIdleTenantsTest {

    private final World world = new World();
    private final Map<TenantId, Instant> traffic = new ConcurrentHashMap<>();
    private final Set<TenantId> unreadable = new HashSet<>();
    private final SuspendIdleTenants idle = new SuspendIdleTenants(
            world.registry,
            world.suspend,
            lease -> {
                if (unreadable.contains(lease.tenant())) {
                    throw new InfrastructureException("metrics unavailable", true);
                }
                return Optional.ofNullable(traffic.get(lease.tenant()));
            },
            Duration.ofHours(1),
            world.clock);

    @Test
    void givenTenantsWithAndWithoutRecentTraffic_whenTheSweepLooks_thenOnlyTheIdleOnesAreSuspended() {
        world.provision(1);
        world.provision(2);
        world.provision(3);
        world.clock.advance(Duration.ofMinutes(90));
        traffic.put(aTenant(1), world.clock.instant().minus(Duration.ofMinutes(10)));
        traffic.put(aTenant(2), world.clock.instant().minus(Duration.ofMinutes(61)));

        SuspendIdleTenants.Report report = idle.suspendIdle(100);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(2).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.lease(3).state())
                .as("never used since it started 90 min ago")
                .isEqualTo(TenantState.SUSPENDED);
        assertThat(world.lease(3).failure())
                .hasValueSatisfying(reason -> assertThat(reason).contains("no traffic for 60 min"));
        assertThat(report).isEqualTo(new SuspendIdleTenants.Report(3, 2, 0));
    }

    @Test
    void givenAFreshTenantAndAnUnreadableMonitor_whenTheSweepLooks_thenNobodyIsSuspendedOnAGuess() {
        world.provision(1);
        world.provision(2);
        world.clock.advance(Duration.ofMinutes(30));
        unreadable.add(aTenant(2));
        world.clock.advance(Duration.ofMinutes(40));
        traffic.put(aTenant(1), world.clock.instant());

        SuspendIdleTenants.Report report = idle.suspendIdle(100);

        assertThat(report).isEqualTo(new SuspendIdleTenants.Report(2, 0, 1));
        assertThat(world.lease(2).state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenAMonitorReadOnceARound_whenTheSweepLooksAtManyTenants_thenOneReadServesThemAll() {
        AtomicInteger reads = new AtomicInteger();
        SuspendIdleTenants oneRead = new SuspendIdleTenants(
                world.registry,
                world.suspend,
                new TrafficMonitor() {
                    @Override
                    public Optional<Instant> lastActivity(Lease lease) {
                        throw new AssertionError("asked tenant by tenant");
                    }

                    @Override
                    public TrafficMonitor snapshot() {
                        reads.incrementAndGet();
                        return lease -> Optional.ofNullable(traffic.get(lease.tenant()));
                    }
                },
                Duration.ofHours(1),
                world.clock);
        for (int tenant = 1; tenant <= 5; tenant++) {
            world.provision(tenant);
        }
        world.clock.advance(Duration.ofMinutes(90));
        traffic.put(aTenant(1), world.clock.instant());

        SuspendIdleTenants.Report report = oneRead.suspendIdle(100);

        assertThat(reads).hasValue(1);
        assertThat(report).isEqualTo(new SuspendIdleTenants.Report(5, 4, 0));
    }

    @Test
    void givenTrafficThatCannotBeReadThisRound_whenTheSweepLooks_thenItFailsAndNobodyIsSuspended() {
        SuspendIdleTenants unreadableRound = new SuspendIdleTenants(
                world.registry,
                world.suspend,
                new TrafficMonitor() {
                    @Override
                    public Optional<Instant> lastActivity(Lease lease) {
                        return Optional.empty();
                    }

                    @Override
                    public TrafficMonitor snapshot() {
                        throw new InfrastructureException("Rate exceeded", true);
                    }
                },
                Duration.ofHours(1),
                world.clock);
        for (int tenant = 1; tenant <= 5; tenant++) {
            world.provision(tenant);
        }
        world.clock.advance(Duration.ofMinutes(90));

        assertThatThrownBy(() -> unreadableRound.suspendIdle(100))
                .isInstanceOf(InfrastructureException.class)
                .hasMessage("Rate exceeded");

        for (int tenant = 1; tenant <= 5; tenant++) {
            assertThat(world.lease(tenant).state()).isEqualTo(TenantState.RUNNING);
        }
    }

    @Test
    void givenAnIdleSuspendedTenant_whenItIsProvisionedAgain_thenItRunsOnItsPortAgain() {
        world.provision(1);
        int port = world.lease(1).requirePort().value();
        world.clock.advance(Duration.ofHours(2));
        idle.suspendIdle(100);

        world.provision(1);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).requirePort().value()).isEqualTo(port);
    }
}
