package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.Allocation;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * Gives a tenant a port, a container on it and a welcome email, resuming from the last checkpoint on
 * every repeat. However often it is called, a tenant gets one port, one container and one email per
 * generation. A tenant that would need a new lease is refused, with nothing made, while the deployment's
 * {@link Limits} are reached.
 */
public final class ProvisionTenant {

    /** Ports tried in one call when the runtime finds them taken by something else. */
    static final int MAX_PORT_ATTEMPTS = 3;

    private final PortRegistry registry;
    private final Workflow workflow;
    private final ResumeTenant resumer;
    private final Limits limits;

    public ProvisionTenant(
            PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy, Clock clock) {
        this(Backends.of(registry, runtime, mailer), policy, clock);
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public ProvisionTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(Backends.of(registry, runtime, mailer).withDatabases(databases), policy, clock);
    }

    /** On the given backends (a database per tenant and a link probe where they are set). */
    public ProvisionTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.workflow = new Workflow(backends, policy, clock);
        this.resumer = new ResumeTenant(backends.registry(), backends.runtime(), workflow, policy.limits());
        this.limits = policy.limits();
    }

    public ProvisionOutcome provision(ProvisionCommand command) {
        Optional<Lease> before = registry.find(command.tenant());
        Optional<ProvisionOutcome> refusal = before.flatMap(lease -> refusal(lease, command));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        // A lease that holds a port keeps it until released or retired, and the workflow's compare-and-set
        // notices either; so a repeat resumes from the lease it read, without a write to the registry.
        Optional<Lease> holding = before.filter(lease -> lease.state().holdsPort());
        if (holding.isPresent()) {
            return provision(command, new Allocation(holding.get(), false));
        }
        // A new lease: one of the slots first (so a refusal leaves nothing behind), then the port, under the limit.
        Optional<ProvisionSlot> slot = Optional.empty();
        if (limits.limitsConcurrency()) {
            slot = registry.takeSlot(command.tenant(), limits.maxConcurrentProvisions(), limits.slotHold());
            if (slot.isEmpty()) {
                return tooManyProvisions(command);
            }
        }
        try {
            Grant grant =
                    registry.grant(command.tenant(), command.email(), command.revive(), limits.maxActiveTenants());
            if (grant instanceof Grant.AtLimit atLimit) {
                return tooManyTenants(command, atLimit);
            }
            Optional<Allocation> allocated = grant.allocated();
            if (allocated.isEmpty()) {
                return new ProvisionOutcome.NoCapacity(command.tenant(), "port pool exhausted");
            }
            return provision(command, allocated.get());
        } finally {
            slot.ifPresent(registry::releaseSlot);
        }
    }

    private ProvisionOutcome provision(ProvisionCommand command, Allocation allocated) {
        Lease lease = allocated.lease();
        if (lease.state() == TenantState.SUSPENDED) {
            // Provisioning a suspended tenant resumes it: same port, same link, same data, no new email. A container
            // still stopping leaves it suspended for the next call.
            Lease suspended = lease;
            return new ProvisionOutcome.AlreadyProvisioned(
                    resumer.resume(suspended).tenant().orElseGet(() -> workflow.status(suspended)));
        }
        // New only to the one call the registry granted it to: of identical calls racing, the others answer "already".
        boolean fresh = allocated.granted();
        for (int attempt = 1; ; attempt++) {
            // The registry decides atomically; a deprovision or another email may have won since we looked.
            Optional<ProvisionOutcome> lateRefusal = refusal(lease, command);
            if (lateRefusal.isPresent()) {
                return lateRefusal.get();
            }
            Workflow.Progress progress = workflow.advance(lease, true);
            if (progress.portInUse().isPresent()) {
                // The port is held back now; the tenant moves on to the next free one.
                Grant again = attempt < MAX_PORT_ATTEMPTS
                        ? registry.grant(command.tenant(), command.email(), false, limits.maxActiveTenants())
                        : new Grant.Exhausted();
                if (again instanceof Grant.AtLimit atLimit) {
                    return tooManyTenants(command, atLimit);
                }
                Optional<Lease> next = again.allocated().map(Allocation::lease);
                if (next.isEmpty()) {
                    return new ProvisionOutcome.NoCapacity(
                            command.tenant(),
                            "no free port that is not in use: "
                                    + progress.portInUse().get());
                }
                lease = next.get();
                fresh = true;
                continue;
            }
            return outcome(command, progress, fresh);
        }
    }

    private ProvisionOutcome outcome(ProvisionCommand command, Workflow.Progress progress, boolean fresh) {
        if (progress.noCapacity().isPresent()) {
            return new ProvisionOutcome.NoCapacity(
                    command.tenant(),
                    "runtime has no capacity: " + progress.noCapacity().get());
        }
        if (progress.lease().state() == TenantState.DEPROVISIONED) {
            return new ProvisionOutcome.Rejected(
                    command.tenant(),
                    ProvisionOutcome.Reason.DEPROVISIONED,
                    "tenant " + command.tenant() + " was deprovisioned while it was being provisioned");
        }
        TenantStatus status = workflow.status(progress.lease());
        return fresh ? new ProvisionOutcome.Provisioned(status) : new ProvisionOutcome.AlreadyProvisioned(status);
    }

    private static ProvisionOutcome tooManyTenants(ProvisionCommand command, Grant.AtLimit atLimit) {
        return new ProvisionOutcome.LimitReached(
                command.tenant(),
                ProvisionOutcome.Limit.ACTIVE_TENANTS,
                atLimit.max() + " tenants hold a port already (MAX_ACTIVE_TENANTS); deprovision one, or raise the"
                        + " limit");
    }

    private ProvisionOutcome tooManyProvisions(ProvisionCommand command) {
        return new ProvisionOutcome.LimitReached(
                command.tenant(),
                ProvisionOutcome.Limit.CONCURRENT_PROVISIONS,
                limits.maxConcurrentProvisions()
                        + " provisions are running already (MAX_CONCURRENT_PROVISIONS); try again in a few seconds");
    }

    private static Optional<ProvisionOutcome> refusal(Lease lease, ProvisionCommand command) {
        if (lease.state() == TenantState.DEPROVISIONED && !command.revive()) {
            return Optional.of(new ProvisionOutcome.Rejected(
                    command.tenant(),
                    ProvisionOutcome.Reason.DEPROVISIONED,
                    "tenant " + command.tenant() + " was deprovisioned; provision it with revive to bring it back"));
        }
        if (lease.state().holdsPort() && !lease.email().equals(Optional.of(command.email()))) {
            return Optional.of(new ProvisionOutcome.Rejected(
                    command.tenant(),
                    ProvisionOutcome.Reason.EMAIL_MISMATCH,
                    "tenant " + command.tenant() + " is provisioned for another email address"));
        }
        return Optional.empty();
    }
}
