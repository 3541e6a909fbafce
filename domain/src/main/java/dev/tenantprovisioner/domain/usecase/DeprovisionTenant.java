package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Duration;
import java.util.Optional;

/**
 * Stops the tenant's container, frees its port for reuse and leaves a tombstone, so a late provision
 * retry (a webhook delivered days later, say) does not bring the tenant back unless asked to. A tenant
 * never seen gets a tombstone too: a cancellation that overtakes its checkout still wins. The tombstone keeps no email
 * address, and is forgotten after its time to live, where one is set.
 */
public final class DeprovisionTenant {

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final HeldPorts heldPorts;
    private final Optional<TenantDatabases> databases;
    private final Optional<Duration> tombstoneTtl;

    public DeprovisionTenant(PortRegistry registry, ContainerRuntime runtime) {
        this(registry, runtime, Optional.empty(), Optional.empty());
    }

    /** Also removes the tenant's own database (or locks it, as the adapter is set). */
    public DeprovisionTenant(PortRegistry registry, ContainerRuntime runtime, TenantDatabases databases) {
        this(registry, runtime, Optional.of(databases), Optional.empty());
    }

    /**
     * With the tenant's own database where there is one, and tombstones forgotten {@code tombstoneTtl} after the
     * deprovision (kept for good when empty).
     */
    public DeprovisionTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Optional<TenantDatabases> databases,
            Optional<Duration> tombstoneTtl) {
        this.registry = registry;
        this.runtime = runtime;
        this.heldPorts = new HeldPorts(registry, runtime);
        this.databases = databases;
        this.tombstoneTtl = tombstoneTtl;
    }

    public DeprovisionOutcome deprovision(DeprovisionCommand command) {
        Optional<Lease> before = registry.find(command.tenant());
        if (before.isPresent() && before.get().state() == TenantState.DEPROVISIONED) {
            // A first call that died after the tombstone but before the clean-up is finished here.
            cleanUp(before.get());
            return new DeprovisionOutcome.AlreadyDeprovisioned(new TenantStatus(before.get(), Optional.empty()));
        }
        // Stop first: if we die after this, the lease still names the task and a repeat stops it again.
        Optional<TaskId> stopped = before.flatMap(Lease::task);
        stopped.ifPresent(task -> runtime.stop(task, command.tenant(), StopReason.DEPROVISION));
        Optional<Lease> retired = registry.retire(command.tenant(), tombstoneTtl);
        // A provision racing with us may have recorded a task after we looked; it must not outlive the tenant.
        retired.flatMap(Lease::task)
                .filter(task -> !Optional.of(task).equals(stopped))
                .ifPresent(task -> runtime.stop(task, command.tenant(), StopReason.DEPROVISION));
        // The port stays held back while the task stops; when the runtime already says it has, it is free now.
        retired.filter(Lease::portMayBeInUse).ifPresent(this::freeIfStopped);
        Lease after = registry.find(command.tenant())
                .orElseThrow(() -> new IllegalStateException("no tombstone for " + command.tenant() + " after retire"));
        cleanUp(after);
        // A tombstone holds no port, so it has no link.
        return new DeprovisionOutcome.Deprovisioned(new TenantStatus(after, Optional.empty()));
    }

    /**
     * The tenant's database (the tombstone keeps the generation it retired, so a revived tenant's newer database is
     * never touched), and what the runtime keeps for the tenant beyond its tasks.
     */
    private void cleanUp(Lease tombstone) {
        databases.ifPresent(tenantDatabases -> tenantDatabases.remove(tombstone.tenant(), tombstone.generation()));
        runtime.forget(tombstone.tenant());
    }

    private void freeIfStopped(Lease retired) {
        try {
            heldPorts.freeIfEnded(retired.requirePort(), retired.task().orElseThrow());
        } catch (InfrastructureException notNow) {
            // The tenant is deprovisioned either way; the task's stop event or the sweep frees the port later.
        }
    }
}
