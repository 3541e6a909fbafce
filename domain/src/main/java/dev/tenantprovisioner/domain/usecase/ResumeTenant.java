package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * Resumes a suspended tenant: a new container on the same port, so the same link, with the same data (and database);
 * the welcome email is not sent again. Idempotent: a running tenant is already resumed, and a tenant caught half way
 * (its new container starting) is moved on. A suspended container still on its way down is waited for (the answer is
 * "busy, retry"), so the new one never races the old one for the port.
 */
public final class ResumeTenant {

    private static final int MAX_CONFLICTS = 16;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final Workflow workflow;

    public ResumeTenant(
            PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy, Clock clock) {
        this(Backends.of(registry, runtime, mailer), policy, clock);
    }

    /** With each tenant's own database, handed to the resumed container as to the first. */
    public ResumeTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(Backends.of(registry, runtime, mailer).withDatabases(databases), policy, clock);
    }

    /** On the given backends (a database per tenant and a link probe where they are set). */
    public ResumeTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this(backends.registry(), backends.runtime(), new Workflow(backends, policy, clock));
    }

    ResumeTenant(PortRegistry registry, ContainerRuntime runtime, Workflow workflow) {
        this.registry = registry;
        this.runtime = runtime;
        this.workflow = workflow;
    }

    public ChangeOutcome resume(TenantId tenant) {
        return registry.find(tenant).map(this::resume).orElseGet(() -> new ChangeOutcome.NotFound(tenant));
    }

    /** Resumes from the lease as read. */
    ChangeOutcome resume(Lease read) {
        return resume(read, false);
    }

    /**
     * Resumes from the lease as read; with {@code onlyAsleep}, a suspended tenant only if it is asleep (suspended for
     * idleness), decided against the stored lease at the moment of the write, so a billing suspension that lands
     * meanwhile is never undone.
     */
    ChangeOutcome resume(Lease read, boolean onlyAsleep) {
        Lease lease = read;
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            switch (lease.state()) {
                case PORT_ALLOCATED:
                case CONTAINER_STARTED:
                case RUNNING:
                    // Resumed already, or on its way: finish what is in progress.
                    return new ChangeOutcome.Changed(
                            workflow.status(workflow.advance(lease, false).lease()), true);
                case STOPPED:
                    return new ChangeOutcome.Changed(
                            workflow.status(workflow.advance(lease, true).lease()), false);
                case SUSPENDED:
                    if (onlyAsleep && !lease.sleeping()) {
                        return new ChangeOutcome.Refused(
                                workflow.status(lease),
                                "tenant " + lease.tenant() + " is "
                                        + lease.failure().orElse("suspended") + ": a visit does not wake it");
                    }
                    Optional<ChangeOutcome> notYet = stillStopping(lease);
                    if (notYet.isPresent()) {
                        return notYet.get();
                    }
                    try {
                        Lease restarting = registry.save(lease.restarted());
                        return new ChangeOutcome.Changed(
                                workflow.status(
                                        workflow.advance(restarting, false).lease()),
                                false);
                    } catch (LeaseConflictException changedMeanwhile) {
                        // Someone else moved it (resumed it, deprovisioned it): decide again from what is stored.
                        Optional<Lease> current = registry.find(lease.tenant());
                        if (current.isEmpty()) {
                            return new ChangeOutcome.NotFound(lease.tenant());
                        }
                        lease = current.get();
                        continue;
                    }
                default:
                    return new ChangeOutcome.Refused(
                            workflow.status(lease),
                            "tenant " + lease.tenant() + " is "
                                    + lease.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + ": there is nothing to resume; provision it instead");
            }
        }
        throw new IllegalStateException("the lease of " + read.tenant() + " kept changing while it was being resumed");
    }

    /** The suspended container, if the runtime still has it up or going down; asked to stop once more. */
    private Optional<ChangeOutcome> stillStopping(Lease lease) {
        if (lease.task().isEmpty()) {
            return Optional.empty();
        }
        ContainerStatus status = runtime.status(lease.task().get());
        if (status.phase() == ContainerStatus.Phase.STOPPED || status.phase() == ContainerStatus.Phase.GONE) {
            return Optional.empty();
        }
        runtime.stop(lease.task().get(), lease.tenant(), StopReason.SUSPEND);
        return Optional.of(new ChangeOutcome.Busy(
                workflow.status(lease), "the suspended container is still stopping; resume again in a few seconds"));
    }
}
