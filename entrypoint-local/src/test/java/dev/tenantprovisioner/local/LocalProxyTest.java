package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LOCAL_PROXY=caddy}: this machine's Caddy in front of the local tenants, configured by the same route the
 * proxies on AWS poll. Each tenant's name reaches its own app and nothing else does: not a deprovisioned tenant's name
 * after its port went to another, not a name nobody has, not another tenant's port behind a name.
 */
class LocalProxyTest {

    @TempDir
    Path work;

    private Runner runner;
    private InetSocketAddress proxy;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(
                LocalProxy.findCaddy().isPresent(),
                "caddy is not installed here, so the local proxy cannot run: sudo apt-get install caddy");
        proxyPort = freePort();
        runner = new Runner(
                work,
                Map.of(
                        "LOCAL_DATABASE",
                        "off",
                        "LOCAL_PROXY",
                        "caddy",
                        "PROXY_PORT",
                        Integer.toString(proxyPort),
                        "LOCAL_PROXY_DIR",
                        work.resolve("proxy").toString()));
        proxy = new InetSocketAddress("127.0.0.1", proxyPort);
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    private String name(String tenant) {
        return tenant + ".localhost:" + proxyPort;
    }

    /** The proxy's answer for {@code host}, once it is what {@code expected} says (routes arrive on the next poll). */
    private RawHttp.Answer awaitAnswer(String host, Predicate<RawHttp.Answer> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        RawHttp.Answer answer = RawHttp.get(proxy, host);
        while (!expected.test(answer) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            answer = RawHttp.get(proxy, host);
        }
        return answer;
    }

    @Test
    void givenTwoTenants_whenTheirLinksAreOpened_thenEachNameReachesItsOwnAppThroughTheProxy() throws Exception {
        runner.provision("alice", "alice@example.com");
        runner.provision("bob", "bob@example.com");

        Map<String, Object> alice = runner.awaitRunning("alice");
        runner.awaitRunning("bob");

        assertThat(alice.get("accessUrl")).isEqualTo("http://" + name("alice"));
        assertThat(RawHttp.get(proxy, name("alice")).body()).contains("Hello, alice");
        assertThat(RawHttp.get(proxy, name("bob")).body()).contains("Hello, bob");
        assertThat(Files.readString(onlyEmail("welcome-alice-g1"))).contains("http://" + name("alice"));
    }

    @Test
    void givenADeprovisionedTenantWhosePortWentToANewOne_whenItsNameIsOpened_thenNoInstanceAndNeverTheNewOwner()
            throws Exception {
        runner.provision("alice", "alice@example.com");
        int alicePort = port(runner.awaitRunning("alice"));
        runner.send("DELETE", "/tenants/alice", null);
        Map<String, Object> carol = runner.provision("carol", "carol@example.com");
        assertThat(port(carol)).as("alice's port went to carol").isEqualTo(alicePort);
        runner.awaitRunning("carol");

        RawHttp.Answer old = awaitAnswer(name("alice"), answer -> answer.status() == 404);

        assertThat(old.status()).isEqualTo(404);
        assertThat(old.header("Tenant-Proxy")).contains("no-route");
        assertThat(old.body()).contains("No instance here").doesNotContain("carol");
        assertThat(RawHttp.get(proxy, name("carol")).body()).contains("Hello, carol");
    }

    @Test
    void givenASuspendedTenant_whenItsNameIsOpened_thenThePageSaysSoWith503() throws Exception {
        runner.provision("dora", "dora@example.com");
        runner.awaitRunning("dora");

        runner.send("POST", "/tenants/dora/suspend", "{}");
        RawHttp.Answer suspended = awaitAnswer(name("dora"), answer -> answer.status() == 503);

        assertThat(suspended.status()).isEqualTo(503);
        assertThat(suspended.header("Tenant-Proxy")).contains("suspended");
        assertThat(suspended.body()).contains("This instance is suspended").contains("dora");
    }

    @Test
    void givenBadNames_whenSentToTheProxy_thenEachIsRefusedAndNothingChanges() throws Exception {
        runner.provision("erin", "erin@example.com");
        runner.provision("finn", "finn@example.com");
        int finnPort = port(runner.awaitRunning("finn"));
        runner.awaitRunning("erin");
        String tenantsBefore = runner.send("GET", "/tenants", null).body();

        RawHttp.Answer unknown = RawHttp.get(proxy, name("mallory"));
        RawHttp.Answer foreignPort = RawHttp.get(proxy, "erin.localhost:" + finnPort);
        RawHttp.Answer oversized = RawHttp.get(proxy, "x".repeat(40_000) + ".localhost");
        RawHttp.Answer notAName = RawHttp.get(proxy, "127.0.0.1:" + proxyPort);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Tenant-Proxy")).contains("no-route");
        assertThat(foreignPort.body())
                .as("a name reaches its own tenant whatever port it carries, never the port's owner")
                .contains("Hello, erin")
                .doesNotContain("Hello, finn");
        assertThat(oversized.status()).isEqualTo(431);
        assertThat(notAName.status()).isEqualTo(404);
        assertThat(runner.send("GET", "/tenants", null).body()).isEqualTo(tenantsBefore);
    }

    private Path onlyEmail(String key) throws IOException {
        try (var files = Files.list(work.resolve("outbox"))) {
            List<Path> found = files.filter(
                            file -> file.getFileName().toString().contains(key))
                    .toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static int port(Map<String, Object> tenant) {
        return ((BigDecimal) tenant.get("port")).intValueExact();
    }

    @Test
    void givenProxyPortTakenByAnotherProgram_whenASecondRunnerStartsItsProxy_thenOneLineNamesPROXY_PORT()
            throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = Map.of(
                    "LOCAL_DATABASE",
                    "off",
                    "LOCAL_PROXY",
                    "caddy",
                    "PROXY_PORT",
                    Integer.toString(other.getLocalPort()),
                    "LOCAL_PROXY_DIR",
                    work.resolve("second-proxy").toString());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Runner(work.resolve("second"), settings))
                    .isInstanceOf(CannotStart.class)
                    .hasMessageContaining("something else listens there; set PROXY_PORT to a free port");
        }
    }

    @Test
    void givenTheProxyRunning_whenCaddyItselfEnds_thenTheRunnerSeesItIsNotRunning() throws Exception {
        int port = freePort();
        Path folder = work.resolve("lone-proxy");
        String config = "{\"apps\":{\"http\":{\"servers\":{\"s\":{\"listen\":[\"127.0.0.1:" + port + "\"]}}}}}";
        try (LocalProxy lone = LocalProxy.start(
                LocalProxy.findCaddy().orElseThrow(),
                folder,
                folder.resolve("proxy.log"),
                1,
                config,
                java.net.URI.create("http://127.0.0.1:1/proxy/config"),
                "key",
                new InetSocketAddress("127.0.0.1", port))) {
            assertThat(lone.isRunning()).isTrue();
            List<ProcessHandle> caddies = ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info()
                            .arguments()
                            .map(a -> List.of(a).contains("run"))
                            .orElse(false))
                    .filter(p -> p.info()
                            .arguments()
                            .map(a -> String.join(" ", a).contains(folder.toString()))
                            .orElse(false))
                    .toList();
            assertThat(caddies).hasSize(1);

            caddies.get(0).destroy();
            caddies.get(0).onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 5_000;
            while (lone.isRunning() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }

            assertThat(lone.isRunning()).as("the shell ends with Caddy").isFalse();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
