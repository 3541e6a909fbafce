package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.util.Optional;

/**
 * Suspends a tenant: its container is stopped; its port, its link and its data are kept, so a resume brings back the
 * same instance at the same address (unpaid invoices, idle instances). Idempotent, and a crash at any point converges:
 * the lease turns SUSPENDED first (naming its task), and every later call, this one repeated included, stops that
 * task again until the runtime has.
 */
public final class SuspendTenant {

    private static final int MAX_CONFLICTS = 16;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final ProvisioningPolicy policy;

    public SuspendTenant(PortRegistry registry, ContainerRuntime runtime, ProvisioningPolicy policy) {
        this.registry = registry;
        this.runtime = runtime;
        this.policy = policy;
    }

    /** Suspends the tenant until a resume (billing, by hand); a tenant asleep for idleness no longer wakes on a visit. */
    public ChangeOutcome suspend(TenantId tenant, String reason) {
        return suspend(tenant, reason, false);
    }

    /**
     * Suspends the tenant for idleness: as {@link #suspend}, and the next visit to its link wakes it ({@link
     * WakeTenant}). A tenant suspended otherwise stays so: idleness never turns a billing suspension into a sleep.
     */
    public ChangeOutcome sleep(TenantId tenant, String reason) {
        return suspend(tenant, reason, true);
    }

    private ChangeOutcome suspend(TenantId tenant, String reason, boolean asleep) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<Lease> found = registry.find(tenant);
            if (found.isEmpty()) {
                return new ChangeOutcome.NotFound(tenant);
            }
            Lease lease = found.get();
            switch (lease.state()) {
                case SUSPENDED:
                    if (lease.sleeping() && !asleep) {
                        try {
                            lease = registry.save(lease.suspended(reason));
                        } catch (LeaseConflictException changedMeanwhile) {
                            continue;
                        }
                    }
                    stopTask(lease);
                    return new ChangeOutcome.Changed(status(lease), true);
                case PORT_ALLOCATED:
                case CONTAINER_STARTED:
                case RUNNING:
                case STOPPED:
                    try {
                        Lease suspended = registry.save(asleep ? lease.asleep(reason) : lease.suspended(reason));
                        stopTask(suspended);
                        return new ChangeOutcome.Changed(status(suspended), false);
                    } catch (LeaseConflictException changedMeanwhile) {
                        continue;
                    }
                default:
                    return new ChangeOutcome.Refused(
                            status(lease),
                            "tenant " + tenant + " is " + lease.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + ": there is no instance to suspend");
            }
        }
        throw new IllegalStateException("the lease of " + tenant + " kept changing while it was being suspended");
    }

    /** A suspended tenant keeps its port and link, so the link is shown (it answers again after a resume). */
    private TenantStatus status(Lease lease) {
        return new TenantStatus(lease, policy.accessUrl(lease));
    }

    private void stopTask(Lease lease) {
        lease.task().ifPresent(task -> runtime.stop(task, lease.tenant(), StopReason.SUSPEND));
    }
}
