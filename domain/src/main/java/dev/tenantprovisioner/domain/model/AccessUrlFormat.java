package dev.tenantprovisioner.domain.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How access URLs are built. sslip.io resolves {@code anything.a.b.c.d.sslip.io} and
 * {@code anything.a-b-c-d.sslip.io} to {@code a.b.c.d}, so no DNS record is needed per tenant. A custom
 * base domain (one that runs the same wildcard scheme, or your own nip.io-style resolver) replaces it.
 */
public record AccessUrlFormat(Style style, String baseDomain) {

    public static final String SSLIP = "sslip.io";
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Whether the address is written with dots or dashes in the host name. */
    public enum Style { DOTTED, DASHED }

    public AccessUrlFormat {
        Objects.requireNonNull(style, "accessUrl.style: must not be null");
        Objects.requireNonNull(baseDomain, "accessUrl.baseDomain: must not be null");
        baseDomain = baseDomain.toLowerCase(Locale.ROOT);
        if (baseDomain.length() > 200 || !DOMAIN.matcher(baseDomain).matches()) {
            throw new InvalidValueException("accessUrl.baseDomain", "must be a DNS name like sslip.io, was '" + baseDomain + "'");
        }
    }

    public static AccessUrlFormat sslip() {
        return new AccessUrlFormat(Style.DOTTED, SSLIP);
    }

    public AccessUrl format(TenantId tenant, Ipv4Address host, HostPort port) {
        String address = style == Style.DOTTED ? host.value() : host.dashed();
        return new AccessUrl(URI.create("http://" + tenant.value() + "." + address + "." + baseDomain + ":" + port.value()));
    }
}
