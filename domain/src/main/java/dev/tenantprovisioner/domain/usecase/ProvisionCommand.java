package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;

/**
 * Provision {@code tenant} for {@code email}. {@code revive} brings back a tenant that was deprovisioned;
 * without it a late retry for a deprovisioned tenant is refused.
 */
public record ProvisionCommand(TenantId tenant, Email email, boolean revive) {

    public ProvisionCommand {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(email, "email");
    }

    public static ProvisionCommand of(TenantId tenant, Email email) {
        return new ProvisionCommand(tenant, email, false);
    }
}
