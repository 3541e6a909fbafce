package dev.tenantprovisioner.local;

import dev.tenantprovisioner.http.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The runner's API as the landing page calls it, with a test's API key, wherever the runner runs. */
final class ApiClient {

    static final long RUNNING_BOUND_MILLIS = 60_000;

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    ApiClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    HttpResponse<String> send(String method, String path, String body, boolean withKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (withKey) {
            request.header("x-api-key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<String, Object> provision(String userId, String email) throws IOException, InterruptedException {
        return json(send("POST", "/provision", "{\"userId\":\"" + userId + "\",\"email\":\"" + email + "\"}", true));
    }

    /** Polls the tenant's status, as the landing page does, until it runs and its email went out. */
    Map<String, Object> awaitRunning(String tenant) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + RUNNING_BOUND_MILLIS;
        Map<String, Object> status = Map.of();
        while (System.currentTimeMillis() < deadline) {
            status = json(send("GET", "/tenants/" + tenant, null, true));
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

    /** The tenant's own page, straight on its host and port (no wildcard DNS needed). */
    static URI direct(String tenantHost, Map<String, Object> tenant) {
        return URI.create("http://" + tenantHost + ":" + ((BigDecimal) tenant.get("port")).intValueExact() + "/");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return (Map<String, Object>) Json.parse(response.body());
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("answer is not JSON: " + response.statusCode() + " " + response.body(), e);
        }
    }
}
