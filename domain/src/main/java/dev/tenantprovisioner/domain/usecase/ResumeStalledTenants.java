package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.HeldPort;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The sweep: finishes what callers abandoned. A provision that died half way and was never retried
 * leaves a lease at a checkpoint; this moves every such lease on (starting its container, or giving
 * the port back when there is no room, or sending the pending email), so no port is held for good by
 * a tenant nobody asks about. Run it on a schedule; it only touches leases idle for {@code idleFor}, and those whose
 * restart (after a crash, see {@link RestartPolicy}) is due, however recently they were written. It also frees the
 * ports held back for tasks that have ended since, or for longer than the grace period.
 */
public final class ResumeStalledTenants {

    private final PortRegistry registry;
    private final Workflow workflow;
    private final HeldPorts heldPorts;
    private final ProvisioningPolicy policy;
    private final Clock clock;

    public ResumeStalledTenants(
            PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy, Clock clock) {
        this(Backends.of(registry, runtime, mailer), policy, clock);
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public ResumeStalledTenants(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(Backends.of(registry, runtime, mailer).withDatabases(databases), policy, clock);
    }

    /** On the given backends (a database per tenant and a link probe where they are set). */
    public ResumeStalledTenants(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.workflow = new Workflow(backends, policy, clock);
        this.heldPorts = new HeldPorts(backends.registry(), backends.runtime());
        this.policy = policy;
        this.clock = clock;
    }

    public Report resume(Sweep sweep) {
        Instant idleSince = clock.instant().minus(sweep.idleFor());
        int examined = 0;
        int resumed = 0;
        int failed = 0;
        // Only the leases that need attention are read, least recently written first, page by page, up to the limit.
        Optional<String> cursor = Optional.empty();
        do {
            LeasePage page = registry.needingAttention(Math.min(sweep.limit() - examined, PAGE), cursor);
            for (Lease lease : page.leases()) {
                examined++;
                if (!lease.needsAttention()
                        || (lease.updatedAt().isAfter(idleSince) && !lease.restartDue(clock.instant()))) {
                    continue;
                }
                try {
                    workflow.advance(lease, false);
                    resumed++;
                } catch (InfrastructureException stillFailing) {
                    failed++;
                }
            }
            cursor = page.next();
        } while (cursor.isPresent() && examined < sweep.limit());
        int freed = 0;
        for (HeldPort held : registry.heldPorts(sweep.limit())) {
            try {
                freed += heldPorts.settle(held, policy.portHoldGrace(), clock.instant()) ? 1 : 0;
            } catch (InfrastructureException stillFailing) {
                failed++;
            }
        }
        return new Report(examined, resumed, failed, freed);
    }

    private static final int PAGE = 100;

    /** Which leases to look at: those idle for at least {@code idleFor}, up to {@code limit} of them. */
    public record Sweep(Duration idleFor, int limit) {
        public Sweep {
            Objects.requireNonNull(idleFor, "idleFor");
            if (limit < 1) {
                throw new IllegalArgumentException("limit: must be positive");
            }
        }
    }

    /**
     * How many leases were looked at, moved on, and still failing (left for the next sweep), and how many
     * held-back ports were freed because their task ended or their grace period passed.
     */
    public record Report(int examined, int resumed, int stillFailing, int portsFreed) {}
}
