package dev.tenantprovisioner.http.proxy;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The proxy in front of the tenants on every host, as the provisioner describes it in the configuration it serves
 * the proxies: where it listens ({@code listener}: the scheme and port links name; {@code httpPort}: plain HTTP, for
 * ACME's HTTP-01 challenge and the redirect to HTTPS), which address it binds (all by default), where the tenants'
 * ports are reached from it, how often it asks for its configuration again, the loopback port of the check that lets
 * a name have a certificate, where certificates come from, and whether the provisioner's API, where a visit to a
 * sleeping tenant is sent ({@code {env.TENANT_PROXY_API_HOST}:{env.TENANT_PROXY_API_PORT}} in the proxy's environment),
 * is reached over TLS (API Gateway) or not (the local runner).
 */
public record ProxySettings(
        AccessUrlFormat.Proxy listener,
        int httpPort,
        Optional<String> bindAddress,
        String upstreamHost,
        Duration pollInterval,
        int askPort,
        Acme acme,
        Optional<Wildcard> wildcard,
        boolean apiTls) {

    /**
     * The logger of the tenants' server's access log in the proxy's configuration (Caddy names it
     * {@code http.log.access.<default_logger_name>}), which idle suspension reads, locally and on AWS.
     */
    public static final String ACCESS_LOGGER = "http.log.access.tenants";

    /** Let's Encrypt's production directory. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_ASK_PORT = 2021;

    /**
     * The ACME certificate authority: its directory, the contact address given to it, and (for a test CA such as
     * Pebble) a PEM file, on the proxy's host, of the roots its own HTTPS endpoint is signed by.
     */
    public record Acme(URI directory, Optional<String> email, Optional<String> trustedRoots) {
        public Acme {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(trustedRoots, "trustedRoots");
        }

        public static Acme letsEncrypt() {
            return new Acme(LETS_ENCRYPT, Optional.empty(), Optional.empty());
        }
    }

    /**
     * One wildcard certificate for the operator's own domain ({@code *.domain}), by ACME's DNS-01 challenge against the
     * Route 53 hosted zone of the domain.
     */
    public record Wildcard(String domain, String hostedZoneId) {
        public Wildcard {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(hostedZoneId, "hostedZoneId");
        }
    }

    public ProxySettings {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(acme, "acme");
        Objects.requireNonNull(wildcard, "wildcard");
    }

    /** Whether the proxy terminates TLS (and so obtains certificates). */
    public boolean tls() {
        return "https".equals(listener.scheme());
    }
}
