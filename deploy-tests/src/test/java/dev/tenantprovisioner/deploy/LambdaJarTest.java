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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the shaded jars that template.yaml deploys hold, and what they must not. */
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

    /** The mail client and the stack it brings, which the API function leaves to the functions that send. */
    static final List<String> MAIL_STACK = List.of(
            "com/resend/",
            "okhttp3/",
            "okio/",
            "kotlin/",
            "com/fasterxml/jackson/",
            "org/json/",
            "dev/tenantprovisioner/adapters/resend/");

    static Stream<Arguments> jars() {
        return Stream.of(
                Arguments.of("deploy.lambdaJar", "../entrypoint-lambda/target/tenant-provisioner-lambda.jar"),
                Arguments.of("deploy.apiJar", "../entrypoint-lambda/target/tenant-provisioner-api.jar"));
    }

    private static JarFile open(String property, String fallback) throws IOException {
        Path file = Path.of(System.getProperty(property, fallback));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "no shaded jar at " + file.toAbsolutePath() + ": build it with mvn package (or verify)");
        }
        return new JarFile(file.toFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void givenShadedJar_whenListed_thenItHoldsNoUnusedHttpClient(String property, String fallback) throws IOException {
        try (JarFile jar = open(property, fallback)) {
            List<String> offending = jar.stream()
                    .map(JarEntry::getName)
                    .filter(name -> UNUSED_CLIENTS.keySet().stream().anyMatch(name::startsWith))
                    .limit(20)
                    .toList();

            assertThat(offending).as("entries of unused HTTP clients").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void givenShadedJar_whenTheSdkLooksForAnHttpClient_thenUrlConnectionIsTheOnlyOne(String property, String fallback)
            throws IOException {
        try (JarFile jar = open(property, fallback)) {
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
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void givenShadedJar_thenEveryHandlerTheTemplateNamesIsInIt(String property, String fallback) throws IOException {
        try (JarFile jar = open(property, fallback)) {
            for (String handler : EntrypointClasses.requestHandlers()) {
                assertThat(jar.getJarEntry(handler.replace('.', '/') + ".class"))
                        .as(handler)
                        .isNotNull();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void givenShadedJar_thenNoSignatureOfAnOriginalJarSurvives(String property, String fallback) throws IOException {
        try (JarFile jar = open(property, fallback)) {
            // A stale signature makes the JVM refuse the whole jar with a SecurityException at the first class.
            assertThat(jar.stream().map(JarEntry::getName))
                    .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
        }
    }

    @org.junit.jupiter.api.Test
    void givenTheApiFunctionsJar_thenItShipsNoMailClientWhileTheOthersDo() throws IOException {
        try (JarFile api = open("deploy.apiJar", "../entrypoint-lambda/target/tenant-provisioner-api.jar");
                JarFile functions =
                        open("deploy.lambdaJar", "../entrypoint-lambda/target/tenant-provisioner-lambda.jar")) {
            assertThat(api.stream().map(JarEntry::getName))
                    .noneMatch(name -> MAIL_STACK.stream().anyMatch(name::startsWith));
            assertThat(functions.getJarEntry("com/resend/Resend.class")).isNotNull();
            assertThat(functions.getJarEntry("dev/tenantprovisioner/adapters/resend/ResendMailer.class"))
                    .isNotNull();
        }
    }
}
