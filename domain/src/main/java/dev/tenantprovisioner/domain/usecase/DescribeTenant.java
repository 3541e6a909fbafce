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
        this(Backends.of(registry, runtime, mailer), policy, clock);
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public DescribeTenant(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            ProvisioningPolicy policy,
            Clock clock,
            TenantDatabases databases) {
        this(Backends.of(registry, runtime, mailer).withDatabases(databases), policy, clock);
    }

    /** On the given backends (a database per tenant and a link probe where they are set). */
    public DescribeTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.workflow = new Workflow(backends, policy, clock);
    }

    public Optional<TenantStatus> describe(TenantId tenant) {
        return registry.find(tenant)
                .map(lease -> workflow.status(workflow.advance(lease, false).lease()));
    }
}
