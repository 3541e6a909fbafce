package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Lease;
import java.util.Objects;
import java.util.Optional;

/** A tenant as callers see it: the stored lease and the link, once it can be built. */
public record TenantStatus(Lease lease, Optional<AccessUrl> accessUrl) {

    public TenantStatus {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(accessUrl, "accessUrl");
    }
}
