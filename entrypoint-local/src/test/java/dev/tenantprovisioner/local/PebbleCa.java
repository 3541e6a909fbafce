package dev.tenantprovisioner.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Let's Encrypt's ACME test server, Pebble (Debian's {@code pebble}), on free loopback ports: a real ACME CA that
 * validates challenges by connecting to the address the name resolves to through {@code dnsServer} (its
 * {@code -dnsserver} flag; it asks AAAA, then A), on {@code httpPort} for HTTP-01 and {@code tlsPort} for TLS-ALPN-01
 * (its config keys; github.com/letsencrypt/pebble, cmd/pebble/main.go at v2.4.0). It makes a new root at every start,
 * served by its management endpoint at {@code /roots/0}. Its own HTTPS endpoints need a certificate, made here with
 * {@code openssl} (Debian's package ships none), whose CA the ACME client is told to trust.
 */
final class PebbleCa implements AutoCloseable {

    private final Process process;
    private final URI directory;
    /** The CA of Pebble's own HTTPS endpoints, for the ACME client. */
    final Path listenerCa;
    /** The root that signs what Pebble issues, for whoever checks the tenants' certificates. */
    final Path issuerRoot;

    private PebbleCa(Process process, URI directory, Path listenerCa, Path issuerRoot) {
        this.process = process;
        this.directory = directory;
        this.listenerCa = listenerCa;
        this.issuerRoot = issuerRoot;
    }

    /** Why Pebble cannot run here, if it cannot. */
    static Optional<String> unavailable() {
        for (String tool : List.of("pebble", "openssl")) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                return Optional.of("no " + tool + " here: sudo apt-get install " + tool);
            }
        }
        return Optional.empty();
    }

    static PebbleCa start(Path folder, String dnsServer, int httpPort, int tlsPort) throws Exception {
        Files.createDirectories(folder);
        Path ca = folder.resolve("listener-ca.pem");
        openssl(
                folder,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "listener-ca.key",
                "-out",
                "listener-ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=pebble listener CA for a test");
        openssl(
                folder,
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "listener.key",
                "-out",
                "listener.csr",
                "-subj",
                "/CN=127.0.0.1");
        Files.writeString(
                folder.resolve("listener.ext"),
                "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl(
                folder,
                "x509",
                "-req",
                "-in",
                "listener.csr",
                "-CA",
                "listener-ca.pem",
                "-CAkey",
                "listener-ca.key",
                "-CAcreateserial",
                "-out",
                "listener.pem",
                "-days",
                "2",
                "-extfile",
                "listener.ext");
        int acme = freePort();
        int management = freePort();
        Path config = folder.resolve("pebble-config.json");
        Files.writeString(
                config,
                "{\"pebble\":{\"listenAddress\":\"127.0.0.1:" + acme + "\",\"managementListenAddress\":\"127.0.0.1:"
                        + management + "\",\"certificate\":\"" + folder.resolve("listener.pem")
                        + "\",\"privateKey\":\"" + folder.resolve("listener.key") + "\",\"httpPort\":" + httpPort
                        + ",\"tlsPort\":" + tlsPort + ",\"ocspResponderURL\":\"\","
                        + "\"externalAccountBindingRequired\":false}}");
        ProcessBuilder builder = new ProcessBuilder(
                        "/usr/bin/pebble", "-config", config.toString(), "-dnsserver", dnsServer)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("pebble.log").toFile());
        // No random pause before each validation, and no nonce refused on purpose (Pebble's README).
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        Process process = builder.start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!accepts(acme) || !accepts(management)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "pebble did not start: " + Files.readString(folder.resolve("pebble.log")));
            }
            Thread.sleep(50);
        }
        Path root = folder.resolve("issuer-root.pem");
        Files.writeString(root, fetch(ca, URI.create("https://127.0.0.1:" + management + "/roots/0")));
        return new PebbleCa(process, URI.create("https://127.0.0.1:" + acme + "/dir"), ca, root);
    }

    URI directory() {
        return directory;
    }

    private static String fetch(Path ca, URI uri) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trusted.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpResponse<String> answer = HttpClient.newBuilder()
                .sslContext(tls)
                .build()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + answer.statusCode());
        }
        return answer.body();
    }

    private static void openssl(Path folder, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
