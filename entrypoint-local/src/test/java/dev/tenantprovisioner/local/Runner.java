package dev.tenantprovisioner.local;

import dev.tenantprovisioner.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
    static final long RUNNING_BOUND_MILLIS = 60_000;

    final LocalRunner runner;
    final String tenantHost;
    private final HttpClient http = HttpClient.newHttpClient();

    Runner(Path workDir) throws IOException {
        this(workDir, Map.of("LOCAL_DATABASE", "off"));
    }

    /** A runner with {@code extra} settings on top of the test's own. */
    Runner(Path workDir, Map<String, String> extra) throws IOException {
        tenantHost = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(0, 255) + "."
                + ThreadLocalRandom.current().nextInt(2, 255);
        Map<String, String> env = new HashMap<>();
        env.put("API_KEYS", API_KEY);
        env.put("LOCAL_HTTP_PORT", "0");
        env.put("LOCAL_TENANT_HOST", tenantHost);
        env.put("LOCAL_OUTBOX", workDir.resolve("outbox").toString());
        env.put("LOCAL_TENANT_LOGS", workDir.resolve("logs").toString());
        env.putAll(extra);
        runner = LocalRunner.start(env);
    }

    HttpResponse<String> send(String method, String path, String body, boolean withKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(runner.baseUri().resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (withKey) {
            request.header("x-api-key", API_KEY);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, true);
    }

    Map<String, Object> provision(String userId, String email) throws IOException, InterruptedException {
        return json(send("POST", "/provision", "{\"userId\":\"" + userId + "\",\"email\":\"" + email + "\"}"));
    }

    /** Polls the tenant's status, as the landing page does, until it runs and its email went out. */
    Map<String, Object> awaitRunning(String tenant) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + RUNNING_BOUND_MILLIS;
        Map<String, Object> status = Map.of();
        while (System.currentTimeMillis() < deadline) {
            status = json(send("GET", "/tenants/" + tenant, null));
            if ("running".equals(status.get("state")) && "sent".equals(status.get("notification"))) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                tenant + " not running with its email sent after " + RUNNING_BOUND_MILLIS + " ms: " + status);
    }

    String fetch(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return (Map<String, Object>) Json.parse(response.body());
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("answer is not JSON: " + response.statusCode() + " " + response.body(), e);
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
