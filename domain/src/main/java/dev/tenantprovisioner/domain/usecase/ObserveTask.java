package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * Reacts to the runtime saying a task changed (an ECS task state event). The event is only a trigger:
 * the runtime is asked again, so duplicate, late and out-of-order events cannot move a tenant backwards.
 * Events for a task the tenant's lease does not name are ignored.
 */
public final class ObserveTask {

    private final PortRegistry registry;
    private final Workflow workflow;
    private final HeldPorts heldPorts;

    public ObserveTask(
            PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy, Clock clock) {
        this(Backends.of(registry, runtime, mailer), policy, clock);
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public ObserveTask(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(Backends.of(registry, runtime, mailer).withDatabases(databases), policy, clock);
    }

    /** On the given backends (a database per tenant and a link probe where they are set). */
    public ObserveTask(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.workflow = new Workflow(backends, policy, clock);
        this.heldPorts = new HeldPorts(backends.registry(), backends.runtime());
    }

    /**
     * The tenant after the change, or empty when the task belongs to no current tenant. The task of a tenant
     * that gave its port up (deprovisioned, failed) may be what holds that port back: once it has ended, the
     * port is freed, and {@code portFreed} says so.
     */
    public Observation taskChanged(TaskChange change) {
        Optional<Lease> lease =
                registry.find(change.tenant()).filter(found -> found.task().equals(Optional.of(change.task())));
        if (lease.isPresent() && !lease.get().state().holdsPort()) {
            return new Observation(Optional.empty(), heldPorts.freeHeldFor(change.task()));
        }
        return new Observation(
                lease.map(
                        found -> workflow.status(workflow.advance(found, false).lease())),
                false);
    }

    /** What a task change came to. */
    public record Observation(Optional<TenantStatus> tenant, boolean portFreed) {}

    /** A task of a tenant changed; what it changed to is asked of the runtime. */
    public record TaskChange(TenantId tenant, TaskId task) {}
}
