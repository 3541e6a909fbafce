package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * Wakes a tenant asleep for idleness because someone opened its link: a resume (a new container on the same port, so
 * the same link and data, no new email). Idempotent and safe under a crowd: of any number of visits at once, one
 * restarts the tenant (the registry's compare-and-set decides) and the others find it on its way. A tenant suspended
 * for any other reason (billing, by hand) is not woken, and the answer says why.
 */
public final class WakeTenant {

    private final PortRegistry registry;
    private final ResumeTenant resume;

    public WakeTenant(PortRegistry registry, ResumeTenant resume) {
        this.registry = registry;
        this.resume = resume;
    }

    /**
     * {@code Changed}: waking, or awake already ({@code already}); {@code Busy}: its old container is still on its way
     * down, or every provision slot is taken (MAX_CONCURRENT_PROVISIONS), ask again shortly; {@code Refused}: it is not asleep (suspended otherwise, failed, deprovisioned), with the
     * reason; {@code NotFound}: no such tenant.
     */
    public ChangeOutcome wake(TenantId tenant) {
        Optional<Lease> found = registry.find(tenant);
        if (found.isEmpty()) {
            return new ChangeOutcome.NotFound(tenant);
        }
        Lease lease = found.get();
        if (lease.state() == TenantState.FAILED || lease.state() == TenantState.DEPROVISIONED) {
            return new ChangeOutcome.Refused(
                    new TenantStatus(lease, Optional.empty()),
                    "tenant " + tenant + " is " + lease.state().name().toLowerCase(Locale.ROOT)
                            + lease.failure().map(reason -> " (" + reason + ")").orElse("")
                            + ": there is nothing to wake");
        }
        return resume.resume(lease, true);
    }
}
