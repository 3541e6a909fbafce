package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;

/** The welcome email: to whom, for which tenant, the link, and the key that makes a resend harmless. */
public record WelcomeEmail(TenantId tenant, Email to, AccessUrl accessUrl, String idempotencyKey) {

    public WelcomeEmail {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(accessUrl, "accessUrl");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 256) {
            throw new IllegalArgumentException("idempotencyKey: must be 1 to 256 characters");
        }
    }
}
