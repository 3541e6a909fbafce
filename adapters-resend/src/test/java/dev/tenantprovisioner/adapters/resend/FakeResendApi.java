package dev.tenantprovisioner.adapters.resend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stands in for {@code https://api.resend.com}, which the SDK cannot be pointed away from: WireMock as
 * an HTTPS proxy that answers for the host itself (browser-proxying mode, never passing requests on),
 * with a certificate authority made by {@code keytool} for this run only. While it runs, the JVM sends
 * https through it and trusts that authority alone; {@link #close()} puts the JVM's settings back.
 * Build mailers after {@link #start()}: the SDK's client reads the trust store when it is created.
 * Register it as a static {@code @RegisterExtension} to run it around a test class. The answers follow
 * Resend's API reference ("Send Email": {@code POST /emails}, {@code {"id": ...}}; "Errors": the JSON error
 * body with {@code statusCode}, {@code name} and {@code message}; "Idempotency keys": 24 hours) and the
 * resend-java 4.23.0 sources for what the SDK sends (the {@code Idempotency-Key} header, its base URL).
 */
final class FakeResendApi implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final String HOST = "api.resend.com";
    private static final String PASSWORD = "test-only-ca";
    private static final List<String> JVM_SETTINGS = List.of(
            "https.proxyHost",
            "https.proxyPort",
            "javax.net.ssl.trustStore",
            "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType");

    private final Map<String, String> savedSettings = new HashMap<>();
    private Path directory;
    private WireMockServer server;
    private int scenarios;

    FakeResendApi start() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("fake-resend-api");
        Path authority = directory.resolve("test-ca.p12");
        makeCertificateAuthority(authority);
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .enableBrowserProxying(true)
                .proxyPassThrough(false)
                .caKeystorePath(authority.toString())
                .caKeystorePassword(PASSWORD)
                .caKeystoreType("PKCS12"));
        server.start();
        routeJvmThroughProxy(authority);
        reset();
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    /** Forgets requests and failures; Resend then accepts every email. */
    void reset() {
        server.resetAll();
        server.stubFor(emailsEndpoint().atPriority(10).willReturn(okJson("{\"id\":\"" + UUID.randomUUID() + "\"}")));
    }

    /** Every request to {@code POST /emails} gets {@code response} until the next {@link #reset()}. */
    void alwaysAnswers(ResponseDefinitionBuilder response) {
        server.stubFor(emailsEndpoint().atPriority(1).willReturn(response));
    }

    /** The next {@code count} requests to {@code POST /emails} get {@code response}; later ones are accepted. */
    void nextRequestsAnswer(int count, ResponseDefinitionBuilder response) {
        String scenario = "failures-" + ++scenarios;
        for (int i = 0; i < count; i++) {
            server.stubFor(emailsEndpoint()
                    .atPriority(1)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                    .willSetStateTo("failed-" + (i + 1))
                    .willReturn(response));
        }
    }

    /** Idempotency keys of the emails Resend accepted (answered 200), one per key, in order. */
    List<String> acceptedKeys() {
        return servedInOrder()
                // A dropped connection is journalled with the stub's default status 200: it is no acceptance.
                .filter(event -> event.getResponse().getFault() == null
                        && event.getResponse().getStatus() == 200)
                .map(event -> event.getRequest().getHeader("Idempotency-Key"))
                .distinct()
                .collect(Collectors.toList());
    }

    /** Every request that reached the fake, oldest first. */
    List<LoggedRequest> requests() {
        return servedInOrder().map(ServeEvent::getRequest).collect(Collectors.toList());
    }

    /** Resend's error body: {@code {"statusCode":..,"message":..,"name":..}}. */
    static ResponseDefinitionBuilder error(int status, String name, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":" + status + ",\"message\":\"" + message + "\",\"name\":\"" + name + "\"}");
    }

    @Override
    public void close() throws IOException {
        server.stop();
        savedSettings.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(path);
            }
        }
    }

    private static MappingBuilder emailsEndpoint() {
        return post(urlPathEqualTo("/emails")).withHost(equalTo(HOST));
    }

    private Stream<ServeEvent> servedInOrder() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(event -> event.getRequest().getLoggedDate()));
        return events.stream();
    }

    private void routeJvmThroughProxy(Path authority) {
        JVM_SETTINGS.forEach(key -> savedSettings.put(key, System.getProperty(key)));
        System.setProperty("https.proxyHost", "127.0.0.1");
        System.setProperty("https.proxyPort", String.valueOf(server.port()));
        System.setProperty("javax.net.ssl.trustStore", authority.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    // WireMock signs nothing here (that needs JDK internals); it serves this certificate itself, so the
    // certificate must name api.resend.com and be a CA (keyCertSign) for WireMock to accept it.
    private static void makeCertificateAuthority(Path keystore) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "fake-resend-ca",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=Test-only CA for " + HOST,
                        "-ext",
                        "san=dns:" + HOST,
                        "-ext",
                        "ku:c=digitalSignature,keyEncipherment,keyCertSign",
                        "-ext",
                        "bc:c=ca:true",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make the test CA: " + output);
        }
    }
}
