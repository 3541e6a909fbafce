package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TenantState;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing of leases: at most {@code limit} (1 to 1,000), from {@code cursor} (the {@code next} of the
 * previous page; empty for the first), only those in {@code state} if given.
 */
public record LeaseQuery(int limit, Optional<String> cursor, Optional<TenantState> state) {

    public static final int MAX_LIMIT = 1000;

    public LeaseQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(state, "state");
    }

    public static LeaseQuery first(int limit) {
        return new LeaseQuery(limit, Optional.empty(), Optional.empty());
    }
}
