package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.util.Objects;
import java.util.Optional;

/**
 * The driven interfaces the provisioning use cases run on: the registry, the runtime and the mailer, and the parts a
 * deployment may leave out: each tenant's own database, and a probe of the tenant's link (without one, a tenant is
 * ready when the runtime reports its container running).
 */
public record Backends(
        PortRegistry registry,
        ContainerRuntime runtime,
        Mailer mailer,
        Optional<TenantDatabases> databases,
        Optional<LinkProbe> probe) {

    public Backends {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(mailer, "mailer");
        Objects.requireNonNull(databases, "databases");
        Objects.requireNonNull(probe, "probe");
    }

    public static Backends of(PortRegistry registry, ContainerRuntime runtime, Mailer mailer) {
        return new Backends(registry, runtime, mailer, Optional.empty(), Optional.empty());
    }

    /** With each tenant's own database, ensured before its container first starts and handed to it. */
    public Backends withDatabases(TenantDatabases next) {
        return new Backends(registry, runtime, mailer, Optional.of(next), probe);
    }

    /** With the tenant's link asked before the welcome email goes out: ready means the link answers. */
    public Backends withProbe(LinkProbe next) {
        return new Backends(registry, runtime, mailer, databases, Optional.of(next));
    }
}
