package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.Readiness;
import java.util.Optional;

/**
 * A {@link LinkProbe} for the in-memory world: instead of the network, it asks the registry which port the link's
 * tenant holds (a link's name starts with the tenant's id, on sslip.io and on an own domain alike) and the
 * {@link InMemoryContainerRuntime} whether a running container answers there ({@link InMemoryContainerRuntime#silence}
 * makes one that does not).
 */
public final class InMemoryLinkProbe implements LinkProbe {

    private final PortRegistry registry;
    private final InMemoryContainerRuntime runtime;

    public InMemoryLinkProbe(PortRegistry registry, InMemoryContainerRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    @Override
    public Readiness probe(AccessUrl link, Optional<Ipv4Address> address) {
        String label = link.value().getHost().split("\\.", 2)[0];
        Optional<HostPort> port;
        try {
            port = registry.find(TenantId.of(label)).flatMap(lease -> lease.port());
        } catch (RuntimeException notATenant) {
            return new Readiness.NotReady("no tenant is named by " + link);
        }
        if (port.isEmpty()) {
            return new Readiness.NotReady("tenant " + label + " holds no port");
        }
        return runtime.answers(port.get())
                ? new Readiness.Ready(200)
                : new Readiness.NotReady("nothing answers on port " + port.get());
    }
}
