package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.Allocation;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * Gives a tenant a port, a container on it and a welcome email, resuming from the last checkpoint on
 * every repeat. However often it is called, a tenant gets one port, one container and one email per
 * generation.
 */
public final class ProvisionTenant {

    /** Ports tried in one call when the runtime finds them taken by something else. */
    static final int MAX_PORT_ATTEMPTS = 3;

    private final PortRegistry registry;
    private final Workflow workflow;
    private final ResumeTenant resumer;

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
        this.resumer = new ResumeTenant(backends.registry(), backends.runtime(), workflow);
    }

    public ProvisionOutcome provision(ProvisionCommand command) {
        Optional<Lease> before = registry.find(command.tenant());
        Optional<ProvisionOutcome> refusal = before.flatMap(lease -> refusal(lease, command));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        // A lease that holds a port keeps it until released or retired, and the workflow's compare-and-set
        // notices either; so a repeat resumes from the lease it read, without a write to the registry.
        Optional<Allocation> allocated = before.filter(lease -> lease.state().holdsPort())
                .map(lease -> new Allocation(lease, false))
                .or(() -> registry.grant(command.tenant(), command.email(), command.revive()));
        if (allocated.isEmpty()) {
            return new ProvisionOutcome.NoCapacity(command.tenant(), "port pool exhausted");
        }
        Lease lease = allocated.get().lease();
        if (lease.state() == TenantState.SUSPENDED) {
            // Provisioning a suspended tenant resumes it: same port, same link, same data, no new email. A container
            // still stopping leaves it suspended for the next call.
            Lease suspended = lease;
            return new ProvisionOutcome.AlreadyProvisioned(
                    resumer.resume(suspended).tenant().orElseGet(() -> workflow.status(suspended)));
        }
        // New only to the one call the registry granted it to: of identical calls racing, the others answer "already".
        boolean fresh = allocated.get().granted();
        for (int attempt = 1; ; attempt++) {
            // The registry decides atomically; a deprovision or another email may have won since we looked.
            Optional<ProvisionOutcome> lateRefusal = refusal(lease, command);
            if (lateRefusal.isPresent()) {
                return lateRefusal.get();
            }
            Workflow.Progress progress = workflow.advance(lease, true);
            if (progress.portInUse().isPresent()) {
                // The port is held back now; the tenant moves on to the next free one.
                Optional<Lease> next = attempt < MAX_PORT_ATTEMPTS
                        ? registry.allocate(command.tenant(), command.email(), false)
                        : Optional.empty();
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
