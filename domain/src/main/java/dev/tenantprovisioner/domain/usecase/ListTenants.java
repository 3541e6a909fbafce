package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.Comparator;
import java.util.List;

/** Up to {@code limit} tenants, newest first, for operators and the local console. Reads only. */
public final class ListTenants {

    private final PortRegistry registry;
    private final ProvisioningPolicy policy;

    public ListTenants(PortRegistry registry, ProvisioningPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    public List<TenantStatus> list(Query query) {
        return registry.list(query.limit()).stream()
                .sorted(Comparator.comparing(Lease::createdAt)
                        .reversed()
                        .thenComparing(l -> l.tenant().value()))
                .map(lease -> new TenantStatus(lease, policy.accessUrl(lease)))
                .toList();
    }

    /** How many tenants to return at most. */
    public record Query(int limit) {
        public Query {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit: must be between 1 and 1000, was " + limit);
            }
        }
    }
}
