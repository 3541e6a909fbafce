package dev.tenantprovisioner.domain.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How access URLs are built. A tenant's name is {@code <tenant>.<a-b-c-d>.<base domain>}, resolved by wildcard DNS
 * such as sslip.io, so no DNS record is needed per tenant; or {@code <tenant>.<tenant domain>} when the operator brings
 * a domain of their own. Behind a proxy (a TLS proxy on every host, routing by name) the link names the proxy's
 * scheme and port, {@code https://user-123.54-123-45-6.sslip.io}; without one it names the tenant's own host port,
 * {@code http://user-123.54-123-45-6.sslip.io:3001}.
 *
 * <p>The address is written with dashes because of how those resolvers read a name (sslip.io's
 * {@code xip/xip.go}, {@code String2IPv4}): they take the leftmost dashed IPv4 run anywhere in the name
 * first, and only then the leftmost dotted one, where a run may start at the name's start, after a {@code .}
 * or after a {@code -}. In the dotted form {@code user-123.54.123.45.6.sslip.io} the tenant's own digits
 * join the run and the name resolves to 123.54.123.45; in the dashed form nothing from the tenant can join
 * the address across the dot, and {@link TenantId} refuses an id that holds a dashed address of its own.
 * nip.io's older resolver, which reads the last four parts before the domain, gets the same answer.
 */
public record AccessUrlFormat(String baseDomain, Optional<String> tenantDomain, Optional<Proxy> proxy) {

    public static final String SSLIP = "sslip.io";
    private static final Pattern DOMAIN =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /** The proxy in front of the tenants, as links name it: {@code https} on 443, or plain {@code http} on a port. */
    public record Proxy(String scheme, int port) {
        public Proxy {
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new InvalidValueException("proxy.scheme", "must be http or https, was '" + scheme + "'");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidValueException("proxy.port", "must be 1-65535, was " + port);
            }
        }

        public static Proxy https() {
            return new Proxy("https", 443);
        }

        /** The port as a link writes it: nothing for the scheme's own port. */
        String suffix() {
            boolean own = port == ("https".equals(scheme) ? 443 : 80);
            return own ? "" : ":" + port;
        }
    }

    public AccessUrlFormat {
        baseDomain = domain(baseDomain, "accessUrl.baseDomain", "sslip.io");
        tenantDomain = Objects.requireNonNull(tenantDomain, "tenantDomain")
                .map(domain -> domain(domain, "accessUrl.tenantDomain", "tenants.example.com"));
        Objects.requireNonNull(proxy, "proxy");
    }

    /** Links on wildcard DNS under {@code baseDomain}, straight to the tenant's port (no proxy). */
    public AccessUrlFormat(String baseDomain) {
        this(baseDomain, Optional.empty(), Optional.empty());
    }

    public static AccessUrlFormat sslip() {
        return new AccessUrlFormat(SSLIP);
    }

    /** These links, naming the proxy in front of the tenants instead of their ports. */
    public AccessUrlFormat behind(Proxy next) {
        return new AccessUrlFormat(baseDomain, tenantDomain, Optional.of(next));
    }

    /** These links, on the operator's own domain: {@code <tenant>.<domain>}. */
    public AccessUrlFormat onTenantDomain(String domain) {
        return new AccessUrlFormat(baseDomain, Optional.of(domain), proxy);
    }

    /** Whether a name needs the host's address: it does on wildcard DNS, not on the operator's own domain. */
    public boolean namesHost() {
        return tenantDomain.isEmpty();
    }

    /** The host name alone, e.g. {@code user-123.54-123-45-6.sslip.io} or {@code user-123.tenants.example.com}. */
    public String hostName(TenantId tenant, Ipv4Address host) {
        return tenantDomain
                .map(domain -> tenant.value() + "." + domain)
                .orElseGet(() -> tenant.value() + "." + host.dashed() + "." + baseDomain);
    }

    public AccessUrl format(TenantId tenant, Ipv4Address host, HostPort port) {
        String name = hostName(tenant, host);
        return new AccessUrl(URI.create(proxy.map(p -> p.scheme() + "://" + name + p.suffix())
                .orElseGet(() -> "http://" + name + ":" + port.value())));
    }

    private static String domain(String value, String field, String example) {
        Objects.requireNonNull(value, field + ": must not be null");
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.length() > 200 || !DOMAIN.matcher(lower).matches()) {
            throw new InvalidValueException(field, "must be a DNS name like " + example + ", was '" + value + "'");
        }
        return lower;
    }
}
