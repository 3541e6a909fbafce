package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Idle suspension (off unless configured): a running tenant whose app has had no traffic for {@code idleAfter} is
 * suspended, asleep, so it holds no memory on the host; the next visit to its link wakes it ({@link WakeTenant}).
 * A tenant never seen receiving traffic counts from its container's start. Run it with the sweep.
 */
public final class SuspendIdleTenants {

    private final PortRegistry registry;
    private final SuspendTenant suspend;
    private final TrafficMonitor monitor;
    private final Duration idleAfter;
    private final Clock clock;

    public SuspendIdleTenants(
            PortRegistry registry, SuspendTenant suspend, TrafficMonitor monitor, Duration idleAfter, Clock clock) {
        this.registry = registry;
        this.suspend = suspend;
        this.monitor = monitor;
        this.idleAfter = Objects.requireNonNull(idleAfter, "idleAfter");
        if (idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException("idleAfter: must be positive");
        }
        this.clock = clock;
    }

    /** What one round did: running tenants looked at, suspended, and those whose traffic could not be read. */
    public record Report(int running, int suspended, int unknown) {}

    /**
     * One round over the running tenants, up to {@code limit}. The traffic is read once for the round (from the first
     * running tenant on), not once per tenant.
     *
     * @throws InfrastructureException if the traffic cannot be read this round: nobody is suspended
     */
    public Report suspendIdle(int limit) {
        Instant idleSince = clock.instant().minus(idleAfter);
        TrafficMonitor round = null;
        int running = 0;
        int suspended = 0;
        int unknown = 0;
        // Only running tenants are read, page by page, up to the limit.
        Optional<String> cursor = Optional.empty();
        do {
            LeasePage page = registry.page(new LeaseQuery(
                    Math.min(limit - running, LeaseQuery.MAX_LIMIT), cursor, Optional.of(TenantState.RUNNING)));
            for (Lease lease : page.leases()) {
                running++;
                if (round == null) {
                    round = monitor.snapshot();
                }
                Instant lastSeen;
                try {
                    lastSeen = round.lastActivity(lease).or(lease::startedAt).orElse(lease.updatedAt());
                } catch (InfrastructureException notNow) {
                    // Without an answer the tenant is left running: suspending on a guess would cut off a user.
                    unknown++;
                    continue;
                }
                if (lastSeen.isBefore(idleSince)) {
                    ChangeOutcome outcome =
                            suspend.sleep(lease.tenant(), "no traffic for " + Workflow.describe(idleAfter));
                    suspended += outcome instanceof ChangeOutcome.Changed changed && !changed.already() ? 1 : 0;
                }
            }
            cursor = page.next();
        } while (cursor.isPresent() && running < limit);
        return new Report(running, suspended, unknown);
    }
}
