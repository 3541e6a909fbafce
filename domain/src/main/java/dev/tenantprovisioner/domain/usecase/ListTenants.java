package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Up to {@code limit} tenants, newest first, for operators and the local console. Reads only. */
public final class ListTenants {

    private final PortRegistry registry;
    private final ProvisioningPolicy policy;

    public ListTenants(PortRegistry registry, ProvisioningPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    /** A page of tenants, newest first across all pages, and the cursor of the next page (empty: the last). */
    public record Page(List<TenantStatus> tenants, Optional<String> next) {}

    public Page list(Query query) {
        LeasePage page = registry.page(new LeaseQuery(query.limit(), query.cursor(), query.state()));
        return new Page(
                page.leases().stream()
                        .map(lease -> new TenantStatus(lease, policy.accessUrl(lease)))
                        .toList(),
                page.next());
    }

    /**
     * How many tenants to return at most (1 to 1,000), from which cursor (the {@code next} of the page before), and
     * only those in {@code state} if given.
     */
    public record Query(int limit, Optional<String> cursor, Optional<TenantState> state) {
        public Query {
            if (limit < 1 || limit > LeaseQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("limit: must be between 1 and 1000, was " + limit);
            }
            Objects.requireNonNull(cursor, "cursor");
            Objects.requireNonNull(state, "state");
        }

        public Query(int limit) {
            this(limit, Optional.empty(), Optional.empty());
        }
    }
}
