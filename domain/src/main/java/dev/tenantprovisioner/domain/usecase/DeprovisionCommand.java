package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;

/** Deprovision {@code tenant}: stop its container, free its port, keep a tombstone. */
public record DeprovisionCommand(TenantId tenant) {

    public DeprovisionCommand {
        Objects.requireNonNull(tenant, "tenant");
    }
}
