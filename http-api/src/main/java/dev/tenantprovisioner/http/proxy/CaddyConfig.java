package dev.tenantprovisioner.http.proxy;

import dev.tenantprovisioner.domain.usecase.ListRoutes.Kind;
import dev.tenantprovisioner.domain.usecase.ListRoutes.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of the Caddy proxy on one host, in Caddy's JSON (https://caddyserver.com/docs/json/; the
 * keys used here are in Caddy 2.6, Debian's, and every later 2.x): made from the routes alone, so the same routes
 * always give the same bytes and Caddy's poll finds it "unchanged" (caddy.go, changeConfig).
 *
 * <ul>
 *   <li>{@code admin}: no admin endpoint (nothing on the host may rewrite the routes), and the config loader that asks
 *       the provisioner again after {@code load_delay} ({@code admin.config.load}, module {@code http}); the URL and
 *       key come from the proxy's environment ({@code {env.TENANT_PROXY_CONFIG_URL}}, {@code {env.TENANT_PROXY_KEY}},
 *       placeholders the loader replaces: caddyconfig/httploader.go). A failed load keeps the running config and
 *       tries again after the delay (caddy.go, finishSettingUp).
 *   <li>{@code tenants}: each tenant's name to its port on {@code upstreamHost}; a suspended tenant's name to a page
 *       that says so (503); any other name to a page that says no instance lives there (404). A tenant asleep for
 *       idleness keeps its route to its port, where nothing listens, and the failed visit goes on to the provisioner's
 *       wake route (the server's error routes). The proxy's pages carry the {@value #MARK} header, so a readiness probe
 *       never takes them for the tenant's app.
 *   <li>With TLS: {@code redirect} on the HTTP port (ACME's HTTP-01 challenges are answered there before any route:
 *       modules/caddyhttp/server.go, HandleHTTPChallenge), the tenants' names sent to HTTPS, other names refused;
 *       certificates on demand, each name asked of {@code ask} first, a loopback server of this same config that
 *       approves exactly the routed names (modules/caddytls/automation.go, onDemandAskRequest: any 2xx approves).
 *       With the operator's own domain, one wildcard certificate by DNS-01 on Route 53 instead (the
 *       {@code caddy-dns/route53} module, which Caddy's standard build lacks).
 * </ul>
 */
final class CaddyConfig {

    /** The header on the answers the proxy makes itself (no route, suspended, the app not answering). */
    static final String MARK = "Tenant-Proxy";

    static final int MAX_HEADER_BYTES = 16 * 1024;

    static final String ACCESS_LOGGER = ProxySettings.ACCESS_LOGGER;

    private CaddyConfig() {}

    static Map<String, Object> of(ProxySettings settings, List<Route> routes) {
        Map<String, Object> servers = new LinkedHashMap<>();
        servers.put("tenants", tenants(settings, routes));
        if (settings.tls()) {
            servers.put("redirect", redirect(settings, routes));
            if (settings.wildcard().isEmpty()) {
                servers.put("ask", ask(settings, routes));
            }
        }
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("http_port", settings.httpPort());
        http.put("https_port", settings.tls() ? settings.listener().port() : 443);
        http.put("servers", servers);
        Map<String, Object> apps = new LinkedHashMap<>();
        apps.put("http", http);
        if (settings.tls()) {
            apps.put("tls", tls(settings));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("admin", admin(settings));
        config.put("logging", logging());
        config.put("apps", apps);
        return config;
    }

    private static Map<String, Object> admin(ProxySettings settings) {
        Map<String, Object> loader = new LinkedHashMap<>();
        loader.put("module", "http");
        loader.put("url", "{env.TENANT_PROXY_CONFIG_URL}");
        loader.put("header", Map.of("x-api-key", List.of("{env.TENANT_PROXY_KEY}")));
        loader.put("timeout", "10s");
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("load", loader);
        load.put("load_delay", seconds(settings.pollInterval().toSeconds()));
        Map<String, Object> admin = new LinkedHashMap<>();
        admin.put("disabled", true);
        admin.put("config", load);
        return admin;
    }

    /**
     * The access log of the tenants' server, one JSON line per request on the proxy's standard output (CloudWatch Logs
     * on AWS, the proxy's log file locally): when each name was last visited, which idle suspension reads. The
     * visitor's headers are left out and its address cut to its network (Caddy's filter encoder), so the log keeps what
     * it is for and little personal data.
     */
    private static Map<String, Object> logging() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request>headers", Map.of("filter", "delete"));
        fields.put("resp_headers", Map.of("filter", "delete"));
        fields.put("request>remote_ip", ordered("filter", "ip_mask", "ipv4_cidr", 16, "ipv6_cidr", 32));
        fields.put("request>remote_port", Map.of("filter", "delete"));
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("writer", Map.of("output", "stdout"));
        access.put("encoder", ordered("format", "filter", "wrap", Map.of("format", "json"), "fields", fields));
        access.put("include", List.of(ACCESS_LOGGER));
        Map<String, Object> logs = new LinkedHashMap<>();
        logs.put("default", Map.of("exclude", List.of(ACCESS_LOGGER)));
        logs.put("access", access);
        return Map.of("logs", logs);
    }

    private static Map<String, Object> tenants(ProxySettings settings, List<Route> routes) {
        List<Object> handled = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (Route route : routes) {
            Object handler = route.kind() == Kind.SUSPENDED
                    ? Pages.suspended(route)
                    : ordered(
                            "handler",
                            "reverse_proxy",
                            "upstreams",
                            List.of(Map.of(
                                    "dial",
                                    settings.upstreamHost() + ":" + route.port().value())));
            handled.add(route(hosts(List.of(route.name())), handler));
            if (route.kind() == Kind.ASLEEP) {
                // Asleep, nothing listens on its port: the visit fails there and goes on to the wake route. Once the
                // tenant answers, its port serves the next visit at once, without waiting for the proxy's next poll.
                errors.add(route(hosts(List.of(route.name())), wake(settings, route)));
            }
        }
        handled.add(Map.of("handle", List.of(Pages.noRoute())));
        // A tenant's app that does not answer (starting, crashed) gets the proxy's page, not an empty 502.
        errors.add(Map.of("handle", List.of(Pages.appDown())));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("listen", List.of(listen(settings, settings.listener().port())));
        server.put("max_header_bytes", MAX_HEADER_BYTES);
        server.put("logs", Map.of("default_logger_name", "tenants"));
        server.put("routes", handled);
        server.put("errors", Map.of("routes", errors));
        if (settings.tls()) {
            server.put("tls_connection_policies", List.of(Map.of()));
            server.put("automatic_https", Map.of("disable_redirects", true));
        } else {
            server.put("automatic_https", Map.of("disable", true));
        }
        return server;
    }

    /**
     * A visit to a tenant asleep for idleness goes to the provisioner's wake route, as the visitor sent it but for the
     * path, with the proxy's key and none of the visitor's credentials; the provisioner's answer (a page that waits
     * for the instance, or 503 with Retry-After) goes back to the visitor.
     */
    private static Map<String, Object> wake(ProxySettings settings, Route route) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put(
                "set",
                ordered(
                        "Host",
                        List.of("{env.TENANT_PROXY_API_HOST}"),
                        "X-Api-Key",
                        List.of("{env.TENANT_PROXY_KEY}")));
        request.put("delete", List.of("Authorization", "Cookie"));
        Map<String, Object> handler = new LinkedHashMap<>();
        handler.put("handler", "reverse_proxy");
        handler.put("rewrite", Map.of("uri", "/proxy/wake/" + route.tenant().value()));
        handler.put("headers", Map.of("request", request));
        handler.put("upstreams", List.of(Map.of("dial", "{env.TENANT_PROXY_API_HOST}:{env.TENANT_PROXY_API_PORT}")));
        if (settings.apiTls()) {
            handler.put("transport", ordered("protocol", "http", "tls", Map.of()));
        }
        return handler;
    }

    private static Map<String, Object> redirect(ProxySettings settings, List<Route> routes) {
        String port = settings.listener().port() == 443
                ? ""
                : ":" + settings.listener().port();
        List<Object> handled = new ArrayList<>();
        if (!routes.isEmpty()) {
            handled.add(route(
                    hosts(routes.stream().map(Route::name).toList()),
                    ordered(
                            "handler",
                            "static_response",
                            "status_code",
                            308,
                            "headers",
                            Map.of("Location", List.of("https://{http.request.host}" + port + "{http.request.uri}")))));
        }
        handled.add(Map.of("handle", List.of(Pages.noRoute())));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("listen", List.of(listen(settings, settings.httpPort())));
        server.put("max_header_bytes", MAX_HEADER_BYTES);
        server.put("routes", handled);
        server.put("automatic_https", Map.of("disable", true));
        return server;
    }

    private static Map<String, Object> ask(ProxySettings settings, List<Route> routes) {
        List<Object> handled = new ArrayList<>();
        if (!routes.isEmpty()) {
            Map<String, Object> match = new LinkedHashMap<>();
            match.put("path", List.of("/ask"));
            match.put("query", Map.of("domain", routes.stream().map(Route::name).toList()));
            handled.add(ordered("match", List.of(match), "handle", List.of(status(200))));
        }
        handled.add(Map.of("handle", List.of(status(404))));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("listen", List.of("127.0.0.1:" + settings.askPort()));
        server.put("routes", handled);
        server.put("automatic_https", Map.of("disable", true));
        return server;
    }

    private static Map<String, Object> tls(ProxySettings settings) {
        Map<String, Object> issuer = new LinkedHashMap<>();
        issuer.put("module", "acme");
        issuer.put("ca", settings.acme().directory().toString());
        settings.acme().email().ifPresent(email -> issuer.put("email", email));
        settings.acme().trustedRoots().ifPresent(file -> issuer.put("trusted_roots_pem_files", List.of(file)));
        Map<String, Object> policy = new LinkedHashMap<>();
        Map<String, Object> automation = new LinkedHashMap<>();
        Map<String, Object> tls = new LinkedHashMap<>();
        if (settings.wildcard().isPresent()) {
            ProxySettings.Wildcard wildcard = settings.wildcard().get();
            String name = "*." + wildcard.domain();
            issuer.put(
                    "challenges",
                    Map.of(
                            "dns",
                            Map.of("provider", ordered("name", "route53", "hosted_zone_id", wildcard.hostedZoneId()))));
            policy.put("subjects", List.of(name));
            policy.put("issuers", List.of(issuer));
            automation.put("policies", List.of(policy));
            tls.put("certificates", Map.of("automate", List.of(name)));
        } else {
            policy.put("issuers", List.of(issuer));
            policy.put("on_demand", true);
            automation.put("policies", List.of(policy));
            automation.put("on_demand", Map.of("ask", "http://127.0.0.1:" + settings.askPort() + "/ask"));
        }
        tls.put("automation", automation);
        return tls;
    }

    private static Map<String, Object> status(int code) {
        return ordered("handler", "static_response", "status_code", code);
    }

    /** A JSON object whose keys keep the order given, so a config is the same text however often it is made. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    private static Map<String, Object> route(Map<String, Object> match, Object handler) {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("match", List.of(match));
        route.put("handle", List.of(handler));
        route.put("terminal", true);
        return route;
    }

    private static Map<String, Object> hosts(List<String> names) {
        return Map.of("host", names);
    }

    private static String listen(ProxySettings settings, int port) {
        return settings.bindAddress().orElse("") + ":" + port;
    }

    private static String seconds(long seconds) {
        return seconds + "s";
    }
}
