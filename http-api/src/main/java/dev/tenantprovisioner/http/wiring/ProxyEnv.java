package dev.tenantprovisioner.http.wiring;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.http.proxy.ProxySettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The proxy's settings: {@code PROXY} ({@code https}, the default; {@code http}; {@code none}) and what goes with it.
 * Every problem is recorded in the {@link Env}, as for the other settings.
 */
final class ProxyEnv {

    private ProxyEnv() {}

    /** The proxy in front of the tenants; empty with {@code PROXY=none} (links then name each tenant's own port). */
    static Optional<ProxySettings> read(Env env, Optional<String> tenantDomain) {
        String mode = env.orDefault("PROXY", "https").toLowerCase(Locale.ROOT);
        Optional<String> zone = env.optional("TENANT_DOMAIN_ZONE_ID");
        if (zone.isPresent() && tenantDomain.isEmpty()) {
            env.problem("TENANT_DOMAIN_ZONE_ID is set but TENANT_DOMAIN is not: set both, or neither");
        }
        if (mode.equals("none")) {
            if (tenantDomain.isPresent()) {
                env.problem("TENANT_DOMAIN needs a proxy (PROXY=https or http) to route each tenant's name");
            }
            return Optional.empty();
        }
        if (!mode.equals("https") && !mode.equals("http")) {
            env.problem("PROXY must be https, http or none, was '" + mode + "'");
            mode = "https";
        }
        boolean tls = mode.equals("https");
        int port = env.integer("PROXY_PORT", tls ? 443 : 80, 1, 65535);
        int httpPort = env.integer("PROXY_HTTP_PORT", 80, 1, 65535);
        if (tls && httpPort == port) {
            env.problem("PROXY_HTTP_PORT (" + httpPort + ") must differ from PROXY_PORT: plain HTTP answers ACME's"
                    + " challenges and redirects to HTTPS there");
        }
        Optional<String> bind =
                env.parsed("PROXY_BIND", value -> Ipv4Address.of(value).value());
        String upstream = env.parsed(
                        "PROXY_UPSTREAM_HOST", value -> Ipv4Address.of(value).value())
                .orElse("127.0.0.1");
        Duration poll = env.duration(
                "PROXY_POLL_INTERVAL",
                ProxySettings.DEFAULT_POLL_INTERVAL,
                Duration.ofSeconds(1),
                Duration.ofMinutes(10));
        int askPort = env.integer("PROXY_ASK_PORT", ProxySettings.DEFAULT_ASK_PORT, 1, 65535);
        Optional<URI> directory = env.parsed("ACME_DIRECTORY", ProxyEnv::https);
        Optional<String> email = env.optional("ACME_EMAIL");
        email.filter(address -> !address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))
                .ifPresent(address -> env.problem("ACME_EMAIL must be an email address, was '" + address + "'"));
        ProxySettings.Acme acme = new ProxySettings.Acme(
                directory.orElse(ProxySettings.LETS_ENCRYPT), email, env.optional("ACME_TRUSTED_ROOTS"));
        Optional<ProxySettings.Wildcard> wildcard = Optional.empty();
        if (tls && tenantDomain.isPresent()) {
            if (zone.isEmpty()) {
                env.problem("TENANT_DOMAIN with PROXY=https needs TENANT_DOMAIN_ZONE_ID, the Route 53 hosted zone"
                        + " where the proxy answers ACME's DNS-01 challenge for the wildcard certificate");
            } else if (!zone.get().matches("Z[A-Z0-9]{1,31}")) {
                env.problem("TENANT_DOMAIN_ZONE_ID must be a Route 53 hosted zone id such as Z0123456789ABC, was '"
                        + zone.get() + "'");
            } else {
                wildcard = Optional.of(new ProxySettings.Wildcard(tenantDomain.get(), zone.get()));
            }
        }
        boolean apiTls = env.orDefault("PROXY_API_TLS", "true").equals("true");
        env.optional("PROXY_API_TLS")
                .filter(value -> !value.equals("true") && !value.equals("false"))
                .ifPresent(value -> env.problem("PROXY_API_TLS must be true or false, was '" + value + "'"));
        return Optional.of(new ProxySettings(
                new AccessUrlFormat.Proxy(mode, port),
                httpPort,
                bind,
                upstream,
                poll,
                askPort,
                acme,
                wildcard,
                apiTls));
    }

    private static URI https(String value) {
        URI uri = URI.create(value);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an https URL of an ACME directory, was '" + value + "'");
        }
        return uri;
    }
}
