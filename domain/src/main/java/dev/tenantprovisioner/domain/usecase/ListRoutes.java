package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the proxy on one host serves: a route for each tenant that holds a port and whose link points at that host, by
 * the tenant's name, to its port there. A name that is not a route (no tenant, a deprovisioned or failed one, a tenant
 * on another host) reaches no one: routes are made from the registry alone, so a port handed to a new tenant carries
 * the new tenant's name, never the old one's. Reads only; walks every lease, page by page.
 */
public final class ListRoutes {

    private static final int PAGE = LeaseQuery.MAX_LIMIT;

    private final PortRegistry registry;
    private final ProvisioningPolicy policy;

    public ListRoutes(PortRegistry registry, ProvisioningPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    /**
     * What a name is routed to: the tenant's app; a page that says the tenant is suspended; or, for a tenant asleep for
     * idleness, the provisioner's wake route, which starts it and answers a page that waits for it.
     */
    public enum Kind {
        SERVE,
        SUSPENDED,
        ASLEEP
    }

    /** The tenant behind {@code name} (its link's host name), the port its app listens on, and what to answer. */
    public record Route(TenantId tenant, String name, HostPort port, Kind kind) {
        public Route {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(kind, "kind");
        }
    }

    private static Kind kind(Lease lease) {
        if (lease.state() != TenantState.SUSPENDED) {
            return Kind.SERVE;
        }
        return lease.sleeping() ? Kind.ASLEEP : Kind.SUSPENDED;
    }

    /** The routes of the proxy on {@code host}, by name. */
    public List<Route> routes(Ipv4Address host) {
        List<Route> routes = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            LeasePage page = registry.page(new LeaseQuery(PAGE, cursor, Optional.empty()));
            for (Lease lease : page.leases()) {
                if (lease.state().holdsPort() && policy.linkHost(lease).equals(Optional.of(host))) {
                    routes.add(new Route(
                            lease.tenant(),
                            policy.urlFormat().hostName(lease.tenant(), host),
                            lease.requirePort(),
                            kind(lease)));
                }
            }
            cursor = page.next();
        } while (cursor.isPresent());
        routes.sort(Comparator.comparing(Route::name));
        return List.copyOf(routes);
    }
}
