package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * moto's server as a child process on a free loopback port: a real DynamoDB wire protocol, gone when
 * closed. It runs through {@code serial_moto_server.py}, which serves one request at a time, because
 * moto's own threaded server does not isolate transactions from concurrent requests (see the script).
 */
public final class MotoServer implements AutoCloseable {

    /**
     * A Python with moto 5.2 and its server extras installed: {@code -Dmoto.python}, else the one the build found or
     * set up before the tests ({@code .mvn/test-servers.py} writes it to {@code target/test-servers/moto.python}),
     * else {@code python3}.
     */
    static final String PYTHON = python();

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private static final String INSTALL_HINT = " The DynamoDB tests need moto's server in that Python:"
            + " python3 -m pip install 'moto[server]==5.2.1' (or point -Dmoto.python at a Python that has it);"
            + " mvn verify from the project's root sets it up by itself.";

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    private static String python() {
        String explicit = System.getProperty("moto.python");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String dir = System.getProperty("test-servers.dir");
        if (dir != null) {
            Path found = Path.of(dir, "moto.python");
            try {
                if (Files.isRegularFile(found)) {
                    return Files.readString(found).strip();
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not read " + found, e);
            }
        }
        return "python3";
    }

    public static MotoServer start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            Process process = new ProcessBuilder(
                            PYTHON, launcher().toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
            server.awaitReady(log.toFile());
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not start moto with '" + PYTHON + "' (" + e.getMessage() + ")." + INSTALL_HINT, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    DynamoDbSettings settings(TableName table) {
        return new DynamoDbSettings(table, Region.US_EAST_1, java.util.Optional.of(endpoint), 4);
    }

    DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClients.create(
                settings(TableName.defaultName()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                interceptors);
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady(File log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + ": "
                        + Files.readString(log.toPath()) + INSTALL_HINT);
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(200);
                connection.setReadTimeout(1000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException(
                "moto_server did not answer on " + endpoint + " within " + STARTUP.toSeconds() + " s");
    }

    private static Path launcher() throws IOException {
        try (var script = MotoServer.class.getResourceAsStream("/serial_moto_server.py")) {
            Path copy = Files.createTempFile("serial_moto_server", ".py");
            Files.write(copy, script.readAllBytes());
            copy.toFile().deleteOnExit();
            return copy;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
