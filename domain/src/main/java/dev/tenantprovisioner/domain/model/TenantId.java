package dev.tenantprovisioner.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant's identity. It becomes a DNS label in the access URL and ECS {@code startedBy}, so it is
 * a lowercase DNS label of 1 to 36 characters: letters, digits and inner hyphens. It may not hold an
 * IPv4 address written with dashes ({@code x-10-0-0-1}): the wildcard DNS behind the link would resolve
 * the link to that address instead of the tenant's host (see {@link AccessUrlFormat}).
 */
public record TenantId(String value) {

    public static final int MAX_LENGTH = 36;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    /**
     * sslip.io's {@code ipv4REDashes} (xip/xip.go), narrowed to one label: four octets without leading zeros,
     * joined by dashes, starting at the label's start or after a dash and ending at its end or before a dash.
     */
    private static final String OCTET = "(25[0-5]|(2[0-4]|1\\d|[1-9])?\\d)";

    private static final Pattern DASHED_IPV4 = Pattern.compile("(^|-)(" + OCTET + "-){3}" + OCTET + "(-|$)");

    public TenantId {
        Objects.requireNonNull(value, "tenantId: must not be null");
        if (value.isEmpty()) {
            throw new InvalidValueException("tenantId", "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException(
                    "tenantId", "must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new InvalidValueException(
                    "tenantId",
                    "must be a DNS label: lowercase letters, digits and hyphens, not starting or ending with a hyphen");
        }
        if (DASHED_IPV4.matcher(value).find()) {
            throw new InvalidValueException(
                    "tenantId",
                    "must not contain an IPv4 address written with dashes, such as "
                            + "10-0-0-1: the link's wildcard DNS would resolve to that address instead of the tenant's host");
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
