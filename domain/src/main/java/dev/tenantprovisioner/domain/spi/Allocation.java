package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Lease;
import java.util.Objects;

/**
 * What {@link PortRegistry#grant} came to: the tenant's lease, and whether this call granted it (a new generation,
 * written by this call) or found it granted already (by an earlier call, or by one racing this one). Of any number of
 * concurrent calls for one tenant, at most one is told {@code granted}.
 */
public record Allocation(Lease lease, boolean granted) {

    public Allocation {
        Objects.requireNonNull(lease, "lease");
    }
}
