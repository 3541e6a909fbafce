package dev.tenantprovisioner.domain.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PortRegistry#grant(dev.tenantprovisioner.domain.model.TenantId, dev.tenantprovisioner.domain.model.Email,
 * boolean, int)} came to: the tenant's lease, or no new one, because the pool has no free port or because granting one
 * would make more tenants hold a port than the limit allows. Nothing changed in the last two cases.
 */
public sealed interface Grant {

    /** The lease, whether this call made it or found it; see {@link Allocation}. */
    record Granted(Allocation allocation) implements Grant {
        public Granted {
            Objects.requireNonNull(allocation, "allocation");
        }
    }

    /** No port of the pool is free. */
    record Exhausted() implements Grant {}

    /** {@code max} tenants hold a port already: a new lease would make one too many. */
    record AtLimit(int max) implements Grant {}

    /** The allocation, when there is one. */
    default Optional<Allocation> allocated() {
        return this instanceof Granted granted ? Optional.of(granted.allocation()) : Optional.empty();
    }
}
