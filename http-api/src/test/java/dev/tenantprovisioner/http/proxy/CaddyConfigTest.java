package dev.tenantprovisioner.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ListRoutes.Kind;
import dev.tenantprovisioner.domain.usecase.ListRoutes.Route;
import dev.tenantprovisioner.http.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's configuration as Caddy reads it (https://caddyserver.com/docs/json/): the routes, the pages, the
 * certificates, the loader that asks again. A config Caddy refuses would stop its polling for good (caddy.go,
 * finishSettingUp: a failed apply ends the loop), so every shape made here is also given to {@code caddy validate}.
 */
class CaddyConfigTest {

    private static final Route ALICE =
            new Route(TenantId.of("alice"), "alice.54-1-2-3.sslip.io", HostPort.of(3000), Kind.SERVE);
    private static final Route CAROL =
            new Route(TenantId.of("carol"), "carol.54-1-2-3.sslip.io", HostPort.of(3002), Kind.SUSPENDED);
    private static final Route DORA =
            new Route(TenantId.of("dora"), "dora.54-1-2-3.sslip.io", HostPort.of(3003), Kind.ASLEEP);

    static ProxySettings https() {
        return https("/etc/ssl/test-ca.pem");
    }

    static ProxySettings https(String trustedRoots) {
        return new ProxySettings(
                AccessUrlFormat.Proxy.https(),
                80,
                Optional.empty(),
                "127.0.0.1",
                Duration.ofSeconds(10),
                2021,
                new ProxySettings.Acme(
                        URI.create("https://acme.example.test/dir"),
                        Optional.of("ops@example.com"),
                        Optional.of(trustedRoots)),
                Optional.empty(),
                true);
    }

    static ProxySettings http() {
        return new ProxySettings(
                new AccessUrlFormat.Proxy("http", 8088),
                80,
                Optional.of("127.0.0.1"),
                "127.0.0.1",
                Duration.ofSeconds(1),
                2021,
                ProxySettings.Acme.letsEncrypt(),
                Optional.empty(),
                // The local runner: its wake route is plain HTTP on loopback.
                false);
    }

    static ProxySettings wildcard() {
        ProxySettings base = https();
        return new ProxySettings(
                base.listener(),
                base.httpPort(),
                base.bindAddress(),
                base.upstreamHost(),
                base.pollInterval(),
                base.askPort(),
                ProxySettings.Acme.letsEncrypt(),
                Optional.of(new ProxySettings.Wildcard("tenants.example.com", "Z0123456789ABC")),
                true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static Map<String, Object> server(Map<String, Object> config, String name) {
        return object(object(object(object(config.get("apps")).get("http")).get("servers"))
                .get(name));
    }

    private static List<Object> routes(Map<String, Object> config, String server) {
        return list(server(config, server).get("routes"));
    }

    private static Map<String, Object> handler(Object route) {
        return object(list(object(route).get("handle")).get(0));
    }

    @Test
    void givenARunningTenant_whenRendered_thenItsNameIsProxiedToItsPortOnTheUpstreamHost() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(ALICE));

        Object route = routes(config, "tenants").get(0);
        assertThat(object(list(object(route).get("match")).get(0))).isEqualTo(Map.of("host", List.of(ALICE.name())));
        assertThat(handler(route))
                .containsEntry("handler", "reverse_proxy")
                .containsEntry("upstreams", List.of(Map.of("dial", "127.0.0.1:3000")));
    }

    @Test
    void givenASuspendedTenant_whenRendered_thenItsNameAnswersTheSuspendedPageMarkedAsTheProxys() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(CAROL));

        Map<String, Object> page = handler(routes(config, "tenants").get(0));
        assertThat(page).containsEntry("handler", "static_response").containsEntry("status_code", 503);
        assertThat(object(page.get("headers"))).containsEntry(CaddyConfig.MARK, List.of("suspended"));
        assertThat((String) page.get("body"))
                .contains("This instance is suspended")
                .contains("carol");
    }

    @Test
    void givenATenantAsleep_whenRendered_thenAVisitThatFindsNothingOnItsPortGoesToTheWakeRouteWithTheProxysKey() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(DORA));

        assertThat(handler(routes(config, "tenants").get(0)))
                .containsEntry("handler", "reverse_proxy")
                .containsEntry("upstreams", List.of(Map.of("dial", "127.0.0.1:3003")));
        List<Object> errors =
                list(object(server(config, "tenants").get("errors")).get("routes"));
        assertThat(object(list(object(errors.get(0)).get("match")).get(0)))
                .isEqualTo(Map.of("host", List.of(DORA.name())));
        Map<String, Object> wake = handler(errors.get(0));
        assertThat(wake)
                .containsEntry("handler", "reverse_proxy")
                .containsEntry("rewrite", Map.of("uri", "/proxy/wake/dora"))
                .containsEntry(
                        "upstreams", List.of(Map.of("dial", "{env.TENANT_PROXY_API_HOST}:{env.TENANT_PROXY_API_PORT}")))
                .containsEntry("transport", Map.of("protocol", "http", "tls", Map.of()));
        assertThat(handler(errors.get(1))).containsEntry("status_code", 502);
        Map<String, Object> request = object(object(wake.get("headers")).get("request"));
        assertThat(object(request.get("set")))
                .containsEntry("Host", List.of("{env.TENANT_PROXY_API_HOST}"))
                .containsEntry("X-Api-Key", List.of("{env.TENANT_PROXY_KEY}"));
        assertThat(request.get("delete")).isEqualTo(List.of("Authorization", "Cookie"));
        assertThat(CaddyConfig.of(http(), List.of(DORA)).toString()).doesNotContain("tls={}");
    }

    @Test
    void givenAnyConfig_whenRendered_thenTheTenantsServerLogsEachRequestWithoutHeadersToStandardOutput() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(ALICE));

        assertThat(server(config, "tenants")).containsEntry("logs", Map.of("default_logger_name", "tenants"));
        Map<String, Object> logs = object(object(config.get("logging")).get("logs"));
        Map<String, Object> access = object(logs.get("access"));
        assertThat(access)
                .containsEntry("include", List.of("http.log.access.tenants"))
                .containsEntry("writer", Map.of("output", "stdout"));
        assertThat(object(object(access.get("encoder")).get("fields")))
                .containsEntry("request>headers", Map.of("filter", "delete"));
        assertThat(object(logs.get("default"))).containsEntry("exclude", List.of("http.log.access.tenants"));
    }

    @Test
    void givenAnyName_whenNoRouteMatches_thenTheLastRouteAnswers404MarkedNoRoute() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(ALICE));

        Object last = routes(config, "tenants").get(1);
        assertThat(object(last)).doesNotContainKey("match");
        assertThat(handler(last)).containsEntry("status_code", 404);
        assertThat(object(handler(last).get("headers"))).containsEntry(CaddyConfig.MARK, List.of("no-route"));
    }

    @Test
    void givenTls_whenRendered_thenCertificatesOnDemandAskTheLoopbackListOfExactlyTheRoutedNames() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(ALICE, CAROL));

        Map<String, Object> automation =
                object(object(object(config.get("apps")).get("tls")).get("automation"));
        assertThat(object(automation.get("on_demand"))).containsEntry("ask", "http://127.0.0.1:2021/ask");
        Map<String, Object> policy = object(list(automation.get("policies")).get(0));
        assertThat(policy).containsEntry("on_demand", true);
        assertThat(object(list(policy.get("issuers")).get(0)))
                .containsEntry("module", "acme")
                .containsEntry("ca", "https://acme.example.test/dir")
                .containsEntry("email", "ops@example.com")
                .containsEntry("trusted_roots_pem_files", List.of("/etc/ssl/test-ca.pem"));
        assertThat(server(config, "ask")).containsEntry("listen", List.of("127.0.0.1:2021"));
        Object approve = routes(config, "ask").get(0);
        assertThat(object(list(object(approve).get("match")).get(0)))
                .containsEntry("path", List.of("/ask"))
                .containsEntry("query", Map.of("domain", List.of(ALICE.name(), CAROL.name())));
        assertThat(handler(approve)).containsEntry("status_code", 200);
        assertThat(handler(routes(config, "ask").get(1))).containsEntry("status_code", 404);
    }

    @Test
    void givenTls_whenRendered_thenPlainHttpSendsTheRoutedNamesToHttpsAndRefusesOthers() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of(ALICE));

        assertThat(server(config, "redirect")).containsEntry("listen", List.of(":80"));
        Map<String, Object> redirect = handler(routes(config, "redirect").get(0));
        assertThat(redirect).containsEntry("status_code", 308);
        assertThat(object(redirect.get("headers")))
                .containsEntry("Location", List.of("https://{http.request.host}{http.request.uri}"));
        assertThat(handler(routes(config, "redirect").get(1))).containsEntry("status_code", 404);
        assertThat(server(config, "tenants"))
                .containsEntry("listen", List.of(":443"))
                .containsEntry("automatic_https", Map.of("disable_redirects", true));
    }

    @Test
    void givenNoTenantsYet_whenRendered_thenNoNameIsApprovedAndEveryNameIsRefused() {
        Map<String, Object> config = CaddyConfig.of(https(), List.of());

        assertThat(routes(config, "ask")).hasSize(1);
        assertThat(handler(routes(config, "ask").get(0))).containsEntry("status_code", 404);
        assertThat(routes(config, "tenants")).hasSize(1);
        assertThat(routes(config, "redirect")).hasSize(1);
    }

    @Test
    void givenPlainHttp_whenRendered_thenNoCertificatesNoAskAndTheListenerOnItsPort() {
        Map<String, Object> config = CaddyConfig.of(http(), List.of(ALICE));

        assertThat(object(config.get("apps"))).doesNotContainKey("tls");
        assertThat(object(object(object(config.get("apps")).get("http")).get("servers")))
                .containsOnlyKeys("tenants");
        assertThat(server(config, "tenants"))
                .containsEntry("listen", List.of("127.0.0.1:8088"))
                .containsEntry("automatic_https", Map.of("disable", true));
    }

    @Test
    void givenTheOperatorsOwnDomain_whenRendered_thenOneWildcardCertificateByDns01OnRoute53AndNoAsk() {
        Map<String, Object> config = CaddyConfig.of(wildcard(), List.of(ALICE));

        Map<String, Object> tls = object(object(config.get("apps")).get("tls"));
        assertThat(tls).containsEntry("certificates", Map.of("automate", List.of("*.tenants.example.com")));
        Map<String, Object> policy =
                object(list(object(tls.get("automation")).get("policies")).get(0));
        assertThat(policy)
                .containsEntry("subjects", List.of("*.tenants.example.com"))
                .doesNotContainKey("on_demand");
        assertThat(object(list(policy.get("issuers")).get(0)))
                .containsEntry(
                        "challenges",
                        Map.of(
                                "dns",
                                Map.of("provider", Map.of("name", "route53", "hosted_zone_id", "Z0123456789ABC"))));
        assertThat(object(object(object(config.get("apps")).get("http")).get("servers")))
                .doesNotContainKey("ask");
    }

    @Test
    void givenAnyConfig_whenRendered_thenTheProxyAsksAgainWithItsOwnKeyAndNoAdminEndpoint() {
        Map<String, Object> admin = object(CaddyConfig.of(https(), List.of()).get("admin"));

        assertThat(admin).containsEntry("disabled", true);
        Map<String, Object> load = object(admin.get("config"));
        assertThat(load).containsEntry("load_delay", "10s");
        assertThat(object(load.get("load")))
                .containsEntry("module", "http")
                .containsEntry("url", "{env.TENANT_PROXY_CONFIG_URL}")
                .containsEntry("header", Map.of("x-api-key", List.of("{env.TENANT_PROXY_KEY}")));
    }

    @Test
    void givenTheSameRoutes_whenRenderedTwice_thenTheSameText() {
        assertThat(Json.write(CaddyConfig.of(https(), List.of(ALICE, CAROL))))
                .isEqualTo(Json.write(CaddyConfig.of(https(), List.of(ALICE, CAROL))));
    }

    @Test
    void givenEveryShapeWithoutPlugins_whenCaddyValidatesIt_thenCaddyAcceptsIt(@TempDir Path folder) throws Exception {
        Optional<Path> caddy = Optional.of(Path.of("/usr/bin/caddy")).filter(Files::isExecutable);
        Assumptions.assumeTrue(
                caddy.isPresent(), "caddy is not installed here; install it with: sudo apt-get install caddy");
        // Caddy reads the ACME server's roots when it provisions the issuer, so they must be a real PEM file.
        Path roots = folder.resolve("roots.pem");
        keytool(folder, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=test", "-keystore", "ca.p12");
        keytool(folder, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", roots.toString());
        // The wildcard shape needs the caddy-dns/route53 module, which the standard build (Debian's) lacks.
        for (Map<String, Object> config : List.of(
                CaddyConfig.of(https(roots.toString()), List.of(ALICE, CAROL, DORA)),
                CaddyConfig.of(https(roots.toString()), List.of()),
                CaddyConfig.of(http(), List.of(ALICE, CAROL, DORA)))) {
            Path file = folder.resolve("caddy.json");
            Files.writeString(file, Json.write(config));
            Process validate = new ProcessBuilder(caddy.get().toString(), "validate", "--config", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(validate.getInputStream().readAllBytes());
            assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(validate.exitValue()).as(output).isZero();
        }
    }

    private static void keytool(Path folder, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", "changeit", "-storetype", "PKCS12"));
        Process keytool = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0)
                .as(output)
                .isTrue();
    }
}
