package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the shaded jar that template.yaml deploys holds, and what it must not. */
class LambdaJarTest {

    /** HTTP clients the functions never use: each one costs megabytes and start-up classes. */
    static final Map<String, String> UNUSED_CLIENTS = new TreeMap<>(Map.of(
            "io/netty/", "Netty",
            "org/apache/http/", "Apache HttpClient 4",
            "org/apache/hc/", "Apache HttpClient 5",
            "software/amazon/awssdk/http/apache/", "SDK Apache client",
            "software/amazon/awssdk/http/apache5/", "SDK Apache 5 client",
            "software/amazon/awssdk/http/nio/netty/", "SDK Netty client",
            "software/amazon/awssdk/http/crt/", "SDK CRT client",
            "software/amazon/awssdk/crt/", "AWS CRT",
            "software/amazon/awssdk/services/dynamodb/streams/", "DynamoDB Streams client"));

    private static JarFile jar;

    @BeforeAll
    static void openJar() throws IOException {
        Path file = Path.of(
                System.getProperty("deploy.lambdaJar", "../entrypoint-lambda/target/tenant-provisioner-lambda.jar"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "no shaded jar at " + file.toAbsolutePath() + ": build it with mvn package (or verify)");
        }
        jar = new JarFile(file.toFile());
    }

    @AfterAll
    static void closeJar() throws IOException {
        jar.close();
    }

    @Test
    void givenShadedJar_whenListed_thenItHoldsNoUnusedHttpClient() {
        List<String> offending = jar.stream()
                .map(JarEntry::getName)
                .filter(name -> UNUSED_CLIENTS.keySet().stream().anyMatch(name::startsWith))
                .limit(20)
                .toList();

        assertThat(offending).as("entries of unused HTTP clients").isEmpty();
    }

    @Test
    void givenShadedJar_whenTheSdkLooksForAnHttpClient_thenUrlConnectionIsTheOnlyOne() throws IOException {
        JarEntry services = jar.getJarEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService");

        assertThat(services).isNotNull();
        try (InputStream in = jar.getInputStream(services)) {
            List<String> providers = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
            assertThat(providers)
                    .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        }
    }

    @Test
    void givenShadedJar_thenEveryHandlerTheTemplateNamesIsInIt() throws IOException {
        for (String handler : EntrypointClasses.requestHandlers()) {
            assertThat(jar.getJarEntry(handler.replace('.', '/') + ".class"))
                    .as(handler)
                    .isNotNull();
        }
    }

    @Test
    void givenShadedJar_thenNoSignatureOfAnOriginalJarSurvives() {
        // A stale signature makes the JVM refuse the whole jar with a SecurityException at the first class.
        assertThat(jar.stream().map(JarEntry::getName))
                .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
    }
}
