package dev.tenantprovisioner.domain.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How access URLs are built: {@code http://<tenant>.<a-b-c-d>.<base domain>:<port>}, resolved by wildcard DNS
 * such as sslip.io, so no DNS record is needed per tenant.
 *
 * <p>The address is written with dashes because of how those resolvers read a name (sslip.io's
 * {@code xip/xip.go}, {@code String2IPv4}): they take the leftmost dashed IPv4 run anywhere in the name
 * first, and only then the leftmost dotted one, where a run may start at the name's start, after a {@code .}
 * or after a {@code -}. In the dotted form {@code user-123.54.123.45.6.sslip.io} the tenant's own digits
 * join the run and the name resolves to 123.54.123.45; in the dashed form nothing from the tenant can join
 * the address across the dot, and {@link TenantId} refuses an id that holds a dashed address of its own.
 * nip.io's older resolver, which reads the last four parts before the domain, gets the same answer.
 */
public record AccessUrlFormat(String baseDomain) {

    public static final String SSLIP = "sslip.io";
    private static final Pattern DOMAIN =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    public AccessUrlFormat {
        Objects.requireNonNull(baseDomain, "accessUrl.baseDomain: must not be null");
        baseDomain = baseDomain.toLowerCase(Locale.ROOT);
        if (baseDomain.length() > 200 || !DOMAIN.matcher(baseDomain).matches()) {
            throw new InvalidValueException(
                    "accessUrl.baseDomain", "must be a DNS name like sslip.io, was '" + baseDomain + "'");
        }
    }

    public static AccessUrlFormat sslip() {
        return new AccessUrlFormat(SSLIP);
    }

    /** The host name alone, e.g. {@code user-123.54-123-45-6.sslip.io}. */
    public String hostName(TenantId tenant, Ipv4Address host) {
        return tenant.value() + "." + host.dashed() + "." + baseDomain;
    }

    public AccessUrl format(TenantId tenant, Ipv4Address host, HostPort port) {
        return new AccessUrl(URI.create("http://" + hostName(tenant, host) + ":" + port.value()));
    }
}
