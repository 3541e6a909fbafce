package dev.tenantprovisioner.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A runner started in this JVM for a test: on a free port, with tenants on a loopback address of
 * their own (127.x.y.z) so their port range cannot collide with anything else on the machine.
 */
final class Runner implements AutoCloseable {

    static final String API_KEY = "test-key-0123456789abcdef";

    final LocalRunner runner;
    final String tenantHost;
    private final ApiClient api;

    Runner(Path workDir) throws IOException {
        this(workDir, Map.of("LOCAL_DATABASE", "off"));
    }

    /** A runner with {@code extra} settings on top of the test's own. */
    Runner(Path workDir, Map<String, String> extra) throws IOException {
        tenantHost = aTenantHost();
        Map<String, String> env = new HashMap<>();
        env.put("API_KEYS", API_KEY);
        env.put("LOCAL_HTTP_PORT", "0");
        env.put("LOCAL_TENANT_HOST", tenantHost);
        env.put("LOCAL_OUTBOX", workDir.resolve("outbox").toString());
        env.put("LOCAL_TENANT_LOGS", workDir.resolve("logs").toString());
        env.putAll(extra);
        runner = LocalRunner.start(env);
        api = new ApiClient(runner.baseUri(), API_KEY);
    }

    /** A loopback address of a test's own, 127.x.y.z. */
    static String aTenantHost() {
        return "127." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(0, 255) + "."
                + ThreadLocalRandom.current().nextInt(2, 255);
    }

    HttpResponse<String> send(String method, String path, String body, boolean withKey)
            throws IOException, InterruptedException {
        return api.send(method, path, body, withKey);
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, true);
    }

    Map<String, Object> provision(String userId, String email) throws IOException, InterruptedException {
        return api.provision(userId, email);
    }

    /** Polls the tenant's status, as the landing page does, until it runs and its email went out. */
    Map<String, Object> awaitRunning(String tenant) throws IOException, InterruptedException {
        return api.awaitRunning(tenant);
    }

    String fetch(URI uri) throws IOException, InterruptedException {
        return api.fetch(uri);
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return ApiClient.json(response);
    }

    @Override
    public void close() {
        runner.close();
    }
}
