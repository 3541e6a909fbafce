package dev.tenantprovisioner.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.spi.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpLinkProbeTest {

    private static final Optional<Ipv4Address> LOOPBACK = Optional.of(Ipv4Address.of("127.0.0.1"));
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path folder;

    private static KeyStore certificate;

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeAll
    static void makeACertificateForAlice() throws Exception {
        Path store = folder.resolve("alice.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "alice",
                        "-keyalg",
                        "EC",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=alice.example.test",
                        "-ext",
                        "san=dns:alice.example.test",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0)
                .as(output)
                .isTrue();
        certificate = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            certificate.load(in, PASSWORD.toCharArray());
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static HttpLinkProbe probe(SSLContext tls, Duration patience) {
        return new HttpLinkProbe(tls, "/", Duration.ofMillis(500), patience, Duration.ofMillis(100));
    }

    private static HttpLinkProbe probe() throws Exception {
        return probe(trustingAlice(), Duration.ZERO);
    }

    private static SSLContext trustingAlice() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(certificate);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private int serve(int status, String header) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> answer(exchange, status, header));
        server.start();
        return server.getAddress().getPort();
    }

    private int serveTls() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        tls.setHttpsConfigurator(new HttpsConfigurator(context));
        tls.createContext("/", exchange -> answer(exchange, 200, null));
        tls.start();
        server = tls;
        return tls.getAddress().getPort();
    }

    private void answer(HttpExchange exchange, int status, String header) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host: "
                + exchange.getRequestHeaders().getFirst("Host"));
        if (header != null) {
            exchange.getResponseHeaders().add(HttpLinkProbe.PROXY_HEADER, header);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static AccessUrl link(String value) {
        return new AccessUrl(URI.create(value));
    }

    @ParameterizedTest
    @CsvSource({"200", "302", "404", "499"})
    void givenAnAppAnsweringBelow500_whenProbed_thenReadyWithItsStatus(int status) throws Exception {
        int port = serve(status, null);

        Readiness answer = probe().probe(link("http://alice.example.test:" + port), LOOPBACK);

        assertThat(answer).isEqualTo(new Readiness.Ready(status));
    }

    @Test
    void givenALink_whenProbed_thenItAsksTheRootWithTheLinksNameAndPortAsHost() throws Exception {
        int port = serve(200, null);

        probe().probe(link("http://alice.example.test:" + port), LOOPBACK);

        assertThat(requests).containsExactly("GET / Host: alice.example.test:" + port);
    }

    @Test
    void givenAConfiguredPath_whenProbed_thenThatPathIsAsked() throws Exception {
        int port = serve(200, null);
        HttpLinkProbe health =
                new HttpLinkProbe(trustingAlice(), "/healthz", Duration.ofMillis(500), Duration.ZERO, Duration.ZERO);

        health.probe(link("http://alice.example.test:" + port), LOOPBACK);

        assertThat(requests).containsExactly("GET /healthz Host: alice.example.test:" + port);
    }

    @ParameterizedTest
    @CsvSource({"500,HTTP 500", "502,HTTP 502", "503,HTTP 503"})
    void givenAnAnswerOf500OrMore_whenProbed_thenNotReadyWithTheStatus(int status, String reason) throws Exception {
        int port = serve(status, null);

        assertThat(probe().probe(link("http://alice.example.test:" + port), LOOPBACK))
                .isEqualTo(new Readiness.NotReady(reason));
    }

    @Test
    void givenTheProxysOwnAnswer_whenProbed_thenNotReadyEvenBelow500() throws Exception {
        int port = serve(404, "no-route");

        assertThat(probe().probe(link("http://alice.example.test:" + port), LOOPBACK))
                .isEqualTo(new Readiness.NotReady("the proxy answered 404 itself (no-route), not the tenant's app"));
    }

    @Test
    void givenNothingListening_whenProbed_thenNotReadyConnectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThat(probe().probe(link("http://alice.example.test:" + port), LOOPBACK))
                .isEqualTo(new Readiness.NotReady("connection refused at port " + port));
    }

    @Test
    void givenAServerThatNeverAnswers_whenProbed_thenNotReadyAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepter = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    Thread.sleep(2_000);
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            accepter.start();

            assertThat(probe().probe(link("http://alice.example.test:" + silent.getLocalPort()), LOOPBACK))
                    .isEqualTo(new Readiness.NotReady("no answer within 500 ms"));
            accepter.interrupt();
        }
    }

    @Test
    void givenHttpsWithATrustedCertificateForTheName_whenProbed_thenReady() throws Exception {
        int port = serveTls();

        assertThat(probe().probe(link("https://alice.example.test:" + port), LOOPBACK))
                .isEqualTo(new Readiness.Ready(200));
        assertThat(requests).containsExactly("GET / Host: alice.example.test:" + port);
    }

    @Test
    void givenHttpsWithTheCertificateOfAnotherName_whenProbed_thenNotReadyNamingTheMismatch() throws Exception {
        int port = serveTls();

        Readiness answer = probe().probe(link("https://bob.example.test:" + port), LOOPBACK);

        assertThat(answer)
                .isInstanceOfSatisfying(
                        Readiness.NotReady.class,
                        notReady -> assertThat(notReady.reason())
                                .startsWith("TLS failed: ")
                                .contains("bob.example.test"));
        assertThat(requests)
                .as("nothing is asked of a server that is not the name's")
                .isEmpty();
    }

    @Test
    void givenHttpsWithACertificateNoRootVouchesFor_whenProbed_thenNotReady() throws Exception {
        int port = serveTls();

        Readiness answer = probe(SSLContext.getDefault(), Duration.ZERO)
                .probe(link("https://alice.example.test:" + port), LOOPBACK);

        assertThat(answer)
                .isInstanceOfSatisfying(
                        Readiness.NotReady.class,
                        notReady -> assertThat(notReady.reason())
                                .startsWith("TLS failed: ")
                                .contains("PKIX"));
    }

    @Test
    void givenALinkThatComesUpWhileWaiting_whenProbedWithPatience_thenReady() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int later = port;
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(300);
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), later), 8);
                server.createContext("/", exchange -> answer(exchange, 200, null));
                server.start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        starter.start();

        Readiness answer = probe(trustingAlice(), Duration.ofSeconds(10))
                .probe(link("http://alice.example.test:" + port), LOOPBACK);

        starter.join();
        assertThat(answer).isEqualTo(new Readiness.Ready(200));
    }

    @Test
    void givenANameThatDoesNotResolve_whenProbedWithoutAnAddress_thenNotReadySayingSo() throws Exception {
        assertThat(probe().probe(link("http://alice.invalid"), Optional.empty()))
                .isEqualTo(new Readiness.NotReady("alice.invalid does not resolve"));
    }
}
