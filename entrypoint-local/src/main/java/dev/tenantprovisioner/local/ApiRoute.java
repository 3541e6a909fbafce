package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.HttpApi;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            byte[] body = exchange.getRequestBody().readAllBytes();
            Http.send(
                    exchange,
                    api.handle(new ApiRequest(
                            exchange.getRequestMethod(),
                            path == null || path.isEmpty() ? "/" : path,
                            headers,
                            body,
                            UUID.randomUUID().toString())));
        }
    }
}
