package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Lease;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of leases, and the cursor of the next one (empty: this was the last). */
public record LeasePage(List<Lease> leases, Optional<String> next) {

    public LeasePage {
        leases = List.copyOf(leases);
        Objects.requireNonNull(next, "next");
    }
}
