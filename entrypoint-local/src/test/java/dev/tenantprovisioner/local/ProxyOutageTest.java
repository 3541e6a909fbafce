package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ListRoutes;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import dev.tenantprovisioner.http.proxy.ProxyConfigRoute;
import dev.tenantprovisioner.http.proxy.ProxySettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy keeps serving the routes it knows while the provisioner cannot be reached, and picks up the routes it
 * missed on its first poll after the provisioner is back (Caddy's loader: a failed load keeps the running config and
 * tries again after the delay; caddy.go, finishSettingUp).
 */
class ProxyOutageTest {

    static {
        // The JDK's HTTP server reads its request timeouts once, when it is first used in a JVM, and the runner sets
        // them as it loads; tests of the runner share this JVM, so it is loaded before this test's own servers.
        try {
            Class.forName(LocalRunner.class.getName());
        } catch (ClassNotFoundException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private static final Ipv4Address HOST = Ipv4Address.of("127.0.0.1");
    private static final String KEY = "proxy-key-0123456789abcdef";

    @TempDir
    Path work;

    private final List<HttpServer> servers = new ArrayList<>();
    private LocalProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void givenTheProvisionerGoesAway_whenTenantsAreOpened_thenKnownRoutesKeepWorkingAndNewOnesArriveWhenItIsBack()
            throws Exception {
        Optional<Path> caddy = LocalProxy.findCaddy();
        Assumptions.assumeTrue(caddy.isPresent(), "caddy is not installed here: sudo apt-get install caddy");
        int first = twoFreePorts();
        int proxyPort = freePort();
        ProxySettings settings = new ProxySettings(
                new AccessUrlFormat.Proxy("http", proxyPort),
                80,
                Optional.of(HOST.value()),
                HOST.value(),
                Duration.ofSeconds(1),
                ProxySettings.DEFAULT_ASK_PORT,
                ProxySettings.Acme.letsEncrypt(),
                Optional.empty(),
                false);
        ProvisioningPolicy policy = ProvisioningPolicy.defaults()
                .withUrlFormat(
                        AccessUrlFormat.sslip().onTenantDomain("localhost").behind(settings.listener()));
        InMemoryPortRegistry registry = new InMemoryPortRegistry(PortPool.range(first, first + 1));
        InMemoryContainerRuntime runtime = new InMemoryContainerRuntime(HOST);
        ProvisionTenant provision =
                new ProvisionTenant(registry, runtime, new RecordingMailer(), policy, Clock.systemUTC());
        ProxyConfigRoute route = new ProxyConfigRoute(
                new ListRoutes(registry, policy),
                new WakeTenant(
                        registry,
                        new ResumeTenant(registry, runtime, new RecordingMailer(), policy, Clock.systemUTC())),
                Optional.of(settings));
        provision.provision(ProvisionCommand.of(TenantId.of("alice"), Email.of("alice@example.com")));
        app(first, "alice");
        app(first + 1, "bob");
        int configPort = freePort();
        AtomicInteger polls = new AtomicInteger();
        HttpServer provisioner = configServer(configPort, route, polls);
        InetSocketAddress listens = new InetSocketAddress(HOST.value(), proxyPort);
        proxy = LocalProxy.start(
                caddy.get(),
                work.resolve("proxy"),
                work.resolve("proxy.log"),
                configPort,
                route.configFor(HOST).orElseThrow(),
                URI.create("http://127.0.0.1:" + configPort + "/config"),
                KEY,
                listens);
        assertThat(RawHttp.get(listens, "alice.localhost:" + proxyPort).body()).isEqualTo("alice");

        provisioner.stop(0);
        servers.remove(provisioner);
        provision.provision(ProvisionCommand.of(TenantId.of("bob"), Email.of("bob@example.com")));
        // Several polls: Debian's Caddy 2.6.2 tries a failing load ten times, half a second apart, before it logs it.
        Thread.sleep(6_500);

        assertThat(RawHttp.get(listens, "alice.localhost:" + proxyPort).body())
                .as("a known route while the provisioner is unreachable")
                .isEqualTo("alice");
        assertThat(RawHttp.get(listens, "bob.localhost:" + proxyPort).status())
                .as("a route the proxy could not learn yet")
                .isEqualTo(404);
        assertThat(Files.readString(work.resolve("proxy.log"))).contains("failed loading dynamic config");

        long back = System.nanoTime();
        configServer(configPort, route, polls);
        String bob = "";
        while (!bob.equals("bob")
                && System.nanoTime() - back < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(50);
            bob = RawHttp.get(listens, "bob.localhost:" + proxyPort).body();
        }
        long routedMillis = Duration.ofNanos(System.nanoTime() - back).toMillis();
        System.out.println("proxy: bob routed " + routedMillis + " ms after the provisioner came back (poll 1 s)");

        assertThat(bob).isEqualTo("bob");
        assertThat(RawHttp.get(listens, "alice.localhost:" + proxyPort).body()).isEqualTo("alice");
    }

    /** The provisioner's proxy route, as the runner serves it: the host's config for the proxy's key alone. */
    private HttpServer configServer(int port, ProxyConfigRoute route, AtomicInteger polls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/config", exchange -> {
            polls.incrementAndGet();
            boolean keyed = KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"));
            byte[] body = keyed ? route.configFor(HOST).orElseThrow().getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(keyed ? 200 : 401, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return server;
    }

    private void app(int port, String says) throws IOException {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        app.createContext("/", exchange -> {
            byte[] body = says.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        app.start();
        servers.add(app);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The first of two free ports in a row: the pool the tenants' ports come from. */
    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            try (ServerSocket next = new ServerSocket(first + 1, 1, InetAddress.getLoopbackAddress())) {
                return first;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IllegalStateException("no two free ports in a row");
    }
}
