package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One of the registry's provision slots, taken by {@code tenant}'s provision (its {@code holder} names this taking, so a
 * late release never frees a slot someone took since) and held until it is released or {@code until} passes, whichever
 * comes first: a caller that dies holding one blocks nobody for longer than that.
 */
public record ProvisionSlot(int index, TenantId tenant, String holder, Instant until) {

    public ProvisionSlot {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(until, "until");
        if (index < 0) {
            throw new IllegalArgumentException("index: must not be negative, was " + index);
        }
    }
}
