package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
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

    public ObserveTask(PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy,
            Clock clock) {
        this.registry = registry;
        this.workflow = new Workflow(registry, runtime, mailer, policy, clock);
    }

    /** The tenant after the change, or empty when the task belongs to no current tenant. */
    public Optional<TenantStatus> taskChanged(TaskChange change) {
        return registry.find(change.tenant())
                .filter(lease -> lease.task().equals(Optional.of(change.task())))
                .filter(lease -> lease.state().holdsPort())
                .map(lease -> workflow.status(workflow.advance(lease, false).lease()));
    }

    /** A task of a tenant changed; what it changed to is asked of the runtime. */
    public record TaskChange(TenantId tenant, TaskId task) {
    }
}
