package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * Resumes a suspended tenant: a new container on the same port, so the same link, with the same data (and database);
 * the welcome email is not sent again. Idempotent: a running tenant is already resumed, and a tenant caught half way
 * (its new container starting) is moved on. A suspended container still on its way down is waited for (the answer is
 * "busy, retry"), so the new one never races the old one for the port. A tenant failed for a crash loop is started
 * afresh, as a provision would. Starting a container for a tenant that has none takes one of the
 * provision slots ({@link Limits}); while all are taken the answer is "busy, retry" too.
 */
public final class ResumeTenant {

    private static final int MAX_CONFLICTS = 16;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final Workflow workflow;
    private final Limits limits;

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
        this(backends.registry(), backends.runtime(), new Workflow(backends, policy, clock), policy.limits());
    }

    ResumeTenant(PortRegistry registry, ContainerRuntime runtime, Workflow workflow, Limits limits) {
        this.registry = registry;
        this.runtime = runtime;
        this.workflow = workflow;
        this.limits = limits;
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
                    // A resume starts a stopped container at once; a visit (onlyAsleep) only what is due, so the
                    // restart
                    // policy's backoff and "never" hold however often the link is opened.
                    return new ChangeOutcome.Changed(
                            workflow.status(workflow.advance(lease, !onlyAsleep).lease()), false);
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
                    Optional<ProvisionSlot> slot = takeSlot(lease);
                    if (limits.limitsConcurrency() && slot.isEmpty()) {
                        return tooBusy(lease);
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
                    } finally {
                        slot.ifPresent(registry::releaseSlot);
                    }
                case FAILED:
                    if (lease.failure()
                            .filter(reason -> reason.startsWith(Workflow.CRASH_LOOP))
                            .isPresent()) {
                        return afresh(lease);
                    }
                // Failed for another reason (no capacity, a link that never answered): a provision starts it anew.
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

    /**
     * A failed tenant, started afresh: a new lease (the next generation, on the lowest free port) for the address it had,
     * as a provision would give it, under the same limits.
     */
    private ChangeOutcome afresh(Lease failed) {
        Optional<ProvisionSlot> slot = takeSlot(failed);
        if (limits.limitsConcurrency() && slot.isEmpty()) {
            return tooBusy(failed);
        }
        try {
            Grant grant =
                    registry.grant(failed.tenant(), failed.email().orElseThrow(), false, limits.maxActiveTenants());
            if (grant.allocated().isEmpty()) {
                return new ChangeOutcome.Busy(
                        workflow.status(failed),
                        grant instanceof Grant.AtLimit atLimit
                                ? atLimit.max() + " tenants hold a port already (MAX_ACTIVE_TENANTS)"
                                : "no free port; resume again later");
            }
            Lease fresh = grant.allocated().get().lease();
            return new ChangeOutcome.Changed(
                    workflow.status(workflow.advance(fresh, true).lease()), false);
        } finally {
            slot.ifPresent(registry::releaseSlot);
        }
    }

    private Optional<ProvisionSlot> takeSlot(Lease lease) {
        return limits.limitsConcurrency()
                ? registry.takeSlot(lease.tenant(), limits.maxConcurrentProvisions(), limits.slotHold())
                : Optional.empty();
    }

    private ChangeOutcome tooBusy(Lease lease) {
        return new ChangeOutcome.Busy(
                workflow.status(lease),
                limits.maxConcurrentProvisions()
                        + " provisions are running already (MAX_CONCURRENT_PROVISIONS); resume again in a few seconds");
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
