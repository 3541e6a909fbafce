package dev.tenantprovisioner.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant's identity. It becomes a DNS label in the access URL and ECS {@code startedBy}, so it is
 * a lowercase DNS label of 1 to 36 characters: letters, digits and inner hyphens.
 */
public record TenantId(String value) {

    public static final int MAX_LENGTH = 36;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    public TenantId {
        Objects.requireNonNull(value, "tenantId: must not be null");
        if (value.isEmpty()) {
            throw new InvalidValueException("tenantId", "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException("tenantId",
                    "must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new InvalidValueException("tenantId",
                    "must be a DNS label: lowercase letters, digits and hyphens, not starting or ending with a hyphen");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
