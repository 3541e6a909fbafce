package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.Problem;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves a request with the same {@link HttpApi} the Lambda handler serves, handed the request as API Gateway
 * hands it to Lambda: header names as sent (matched without regard to case), repeated headers joined with
 * commas, the raw path, the body's bytes.
 */
final class ApiRoute implements HttpHandler {

    private final HttpApi api;

    ApiRoute(HttpApi api) {
        this.api = api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name, String.join(",", List.copyOf(values))));
            String path = exchange.getRequestURI().getRawPath();
            int limit = HttpApi.bodyLimit(path == null ? "/" : path);
            Optional<byte[]> body = readAtMost(exchange, limit);
            if (body.isEmpty()) {
                // Refused before (or while) reading: the rest of the body is never read, and the connection closes.
                exchange.getResponseHeaders().set("connection", "close");
                Http.send(
                        exchange,
                        Problem.of(
                                413,
                                "body-too-large",
                                "Body too large",
                                "at most " + limit + " bytes are accepted at " + path));
                return;
            }
            Http.send(
                    exchange,
                    api.handle(new ApiRequest(
                            exchange.getRequestMethod(),
                            path == null || path.isEmpty() ? "/" : path,
                            headers,
                            body.get(),
                            UUID.randomUUID().toString(),
                            exchange.getRequestURI().getRawQuery())));
        }
    }

    /**
     * The body, unless it is larger than {@code limit}: a {@code Content-Length} above it is refused without reading a
     * byte, and a body without one (chunked) is read only up to the limit.
     */
    static Optional<byte[]> readAtMost(HttpExchange exchange, int limit) throws IOException {
        String announced = exchange.getRequestHeaders().getFirst("content-length");
        if (announced != null) {
            try {
                if (Long.parseLong(announced.trim()) > limit) {
                    return Optional.empty();
                }
            } catch (NumberFormatException unreadable) {
                return Optional.empty();
            }
        }
        byte[] body = exchange.getRequestBody().readNBytes(limit + 1);
        return body.length > limit ? Optional.empty() : Optional.of(body);
    }
}
