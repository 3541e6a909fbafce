package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emailed link, opened as a customer opens it: {@code https://{tenant}.{a-b-c-d}.sslip.io}, no port, in real
 * Chromium on another host, through the proxy (this machine's Caddy, configured by the provisioner) with a certificate
 * Caddy obtained by ACME from a real ACME server (Pebble), which validated the name by resolving it through a stand-in
 * of sslip.io's DNS ({@link SslipDns}) that the browser resolves through too. Shown on the way: a name that is no
 * tenant's gets no certificate; a deprovisioned tenant's name does not reach the new owner of its port; a suspended
 * tenant's name shows the suspended page; bad requests are refused by the proxy and change nothing.
 */
class HttpsEndToEndTest {

    @TempDir
    Path work;

    private final List<AutoCloseable> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private <T extends AutoCloseable> T started(T part) {
        started.add(part);
        return part;
    }

    @Test
    void givenCaddyPebbleAndABrowserElsewhere_whenTenantsComeAndGo_thenEachLinkOpensItsOwnPageOverHttpsAndNothingElse()
            throws Exception {
        for (Optional<String> missing : List.of(
                LocalProxy.findCaddy().isPresent()
                        ? Optional.<String>empty()
                        : Optional.of("no caddy here: sudo apt-get install caddy"),
                PebbleCa.unavailable(),
                Visitor.unavailable(),
                TestNetwork.unavailable())) {
            Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        }
        TestNetwork network = started(TestNetwork.create());
        SslipDns dns = started(SslipDns.start(network.hostAddress, 53));
        PebbleCa pebble = started(PebbleCa.start(work.resolve("pebble"), network.hostAddress + ":53", 80, 443));
        Map<String, String> settings = new HashMap<>();
        settings.put("LOCAL_DATABASE", "off");
        settings.put("LOCAL_PROXY", "caddy");
        settings.put("LOCAL_PROXY_DIR", work.resolve("proxy").toString());
        settings.put("PROXY", "https");
        settings.put("PROXY_BIND", network.hostAddress);
        settings.put("PROXY_ASK_PORT", Integer.toString(PebbleCa.freePort()));
        settings.put("ACME_DIRECTORY", pebble.directory().toString());
        settings.put("ACME_TRUSTED_ROOTS", pebble.listenerCa.toString());
        settings.put("ACME_EMAIL", "ops@example.com");
        settings.put("READY_TRUSTED_ROOTS", pebble.issuerRoot.toString());
        Runner runner = started(new Runner(work, settings));
        Visitor visitor = Visitor.trusting(network, work.resolve("visitor"), pebble.issuerRoot);
        String dashed = network.hostAddress.replace('.', '-');
        String aliceLink = "https://alice." + dashed + ".sslip.io";

        // The welcome email goes out once the link answers through the proxy: a certificate was issued by then.
        long signup = System.nanoTime();
        runner.provision("alice", "alice@example.com");
        Map<String, Object> alice = runner.awaitRunning("alice");
        System.out.println("https: alice's link answered through the proxy, with a certificate issued for it, and her"
                + " email went out " + (System.nanoTime() - signup) / 1_000_000 + " ms after the signup");
        assertThat(alice.get("accessUrl")).isEqualTo(aliceLink);
        assertThat(outbox("welcome-alice-g1")).contains(aliceLink);

        Visitor.Page page = visitor.open(aliceLink + "/");
        assertThat(page.dom()).as(page.log()).contains("Hello, alice");
        assertThat(page.log()).doesNotContain("ERR_CERT");
        assertThat(dns.asked)
                .as("the browser resolved the name through the DNS stand-in")
                .contains("alice." + dashed + ".sslip.io A");

        // A name that is no tenant's: the proxy asks its list first and gets no certificate for it.
        Visitor.Page nobody = visitor.open("https://mallory." + dashed + ".sslip.io/");
        assertThat(nobody.dom()).doesNotContain("Hello");
        assertThat(nobody.log()).containsAnyOf("ERR_SSL_PROTOCOL_ERROR", "net_error -107");
        assertThat(certificateFolders()).anyMatch(name -> name.startsWith("alice."));
        assertThat(certificateFolders()).noneMatch(name -> name.startsWith("mallory."));

        // Alice leaves; her port goes to bob. Her name keeps its cached certificate but reaches no one.
        int alicePort = port(alice);
        runner.send("DELETE", "/tenants/alice", null);
        runner.provision("bob", "bob@example.com");
        Map<String, Object> bob = runner.awaitRunning("bob");
        assertThat(port(bob)).as("alice's port went to bob").isEqualTo(alicePort);
        Thread.sleep(2_500); // two of the proxy's polls
        Visitor.Page gone = visitor.open(aliceLink + "/");
        assertThat(gone.dom()).as(gone.log()).contains("No instance here").doesNotContain("Hello, bob");
        Visitor.Page bobsPage = visitor.open("https://bob." + dashed + ".sslip.io/");
        assertThat(bobsPage.dom()).as(bobsPage.log()).contains("Hello, bob");

        // A suspended tenant's name says so.
        runner.provision("carol", "carol@example.com");
        runner.awaitRunning("carol");
        runner.send("POST", "/tenants/carol/suspend", "{}");
        Thread.sleep(2_500);
        Visitor.Page suspended = visitor.open("https://carol." + dashed + ".sslip.io/");
        assertThat(suspended.dom()).as(suspended.log()).contains("This instance is suspended");

        // Bad requests straight at the proxy: refused, and nothing changes.
        String tenantsBefore = runner.send("GET", "/tenants", null).body();
        SSLContext trusting = trusting(pebble.issuerRoot);
        InetSocketAddress https = new InetSocketAddress(network.hostAddress, 443);
        InetSocketAddress http = new InetSocketAddress(network.hostAddress, 80);
        String bobName = "bob." + dashed + ".sslip.io";

        assertThat(RawHttp.get(http, "mallory." + dashed + ".sslip.io").status())
                .isEqualTo(404);
        RawHttp.Answer toHttps = RawHttp.get(http, bobName);
        assertThat(toHttps.status()).isEqualTo(308);
        assertThat(toHttps.header("location")).contains("https://" + bobName + "/");
        assertThat(RawHttp.get(https, bobName + ":" + alicePort, Optional.of(trusting))
                        .body())
                .as("a name with a port reaches that name's tenant, never the port's owner by number")
                .contains("Hello, bob");
        String oversized = "x".repeat(40_000) + "." + dashed + ".sslip.io";
        assertThat(RawHttp.get(https, oversized, Optional.of(trusting), bobName).status())
                .isEqualTo(431);
        assertThat(RawHttp.get(http, oversized).status()).isEqualTo(431);
        assertThat(runner.send("GET", "/tenants", null).body()).isEqualTo(tenantsBefore);
        assertThat(certificateFolders()).noneMatch(name -> name.startsWith("mallory."));
    }

    private String outbox(String key) throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("outbox"))) {
            Path email = files.filter(file -> file.getFileName().toString().contains(key))
                    .findFirst()
                    .orElseThrow();
            return Files.readString(email);
        }
    }

    /** The names Caddy holds a certificate for, in its storage. */
    private List<String> certificateFolders() throws IOException {
        Path certificates = work.resolve("proxy/data/caddy/certificates");
        if (!Files.isDirectory(certificates)) {
            return List.of();
        }
        try (Stream<Path> found = Files.walk(certificates, 2)) {
            return found.filter(path -> path.getNameCount() - certificates.getNameCount() == 2)
                    .map(path -> path.getFileName().toString())
                    .toList();
        }
    }

    private static SSLContext trusting(Path root) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(root)) {
            trusted.setCertificateEntry(
                    "root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int port(Map<String, Object> tenant) {
        return ((BigDecimal) tenant.get("port")).intValueExact();
    }
}
