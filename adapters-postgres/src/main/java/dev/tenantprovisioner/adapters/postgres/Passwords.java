package dev.tenantprovisioner.adapters.postgres;

import dev.tenantprovisioner.domain.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tenants' database passwords, derived rather than stored: HMAC-SHA256 of the tenant and its generation under a key
 * of at least 32 random bytes (made once, with {@code SecureRandom} or Secrets Manager's generator, and kept as a
 * secret). So a repeat or a restart hands the container the same password without reading it from anywhere, a new
 * generation gets a new one, and no password is ever written to the registry, a log or a response. 256 bits of
 * output, base64url: letters, digits, {@code -} and {@code _} only.
 */
final class Passwords {

    private final SecretKeySpec key;

    Passwords(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    String of(TenantId tenant, int generation) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(
                    ("tenant-database:" + tenant.value() + ":" + generation).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
