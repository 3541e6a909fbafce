package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * A tenant's status. A tenant caught between checkpoints (container started but not yet seen running,
 * email still pending) is moved on as far as it can go, so polling the status also finishes a
 * provision whose runtime event was lost. It never allocates a port or restarts a stopped container.
 */
public final class DescribeTenant {

    private final PortRegistry registry;
    private final Workflow workflow;

    public DescribeTenant(
            PortRegistry registry, ContainerRuntime runtime, Mailer mailer, ProvisioningPolicy policy, Clock clock) {
        this(registry, runtime, mailer, policy, clock, Optional.empty());
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public DescribeTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(registry, runtime, mailer, policy, clock, Optional.of(databases));
    }

    private DescribeTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            Optional<TenantDatabases> databases) {
        this.registry = registry;
        this.workflow = new Workflow(registry, runtime, mailer, policy, clock, databases);
    }

    public Optional<TenantStatus> describe(TenantId tenant) {
        return registry.find(tenant)
                .map(lease -> workflow.status(workflow.advance(lease, false).lease()));
    }
}
