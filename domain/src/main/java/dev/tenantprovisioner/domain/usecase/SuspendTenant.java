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

    public ChangeOutcome suspend(TenantId tenant, String reason) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<Lease> found = registry.find(tenant);
            if (found.isEmpty()) {
                return new ChangeOutcome.NotFound(tenant);
            }
            Lease lease = found.get();
            switch (lease.state()) {
                case SUSPENDED:
                    stopTask(lease);
                    return new ChangeOutcome.Changed(status(lease), true);
                case PORT_ALLOCATED:
                case CONTAINER_STARTED:
                case RUNNING:
                case STOPPED:
                    try {
                        Lease suspended = registry.save(lease.suspended(reason));
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
