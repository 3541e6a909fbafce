package dev.tenantprovisioner.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tenantprovisioner.lambda.HttpApiHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Serves a request by invoking the Lambda handler with the event API Gateway would send it. */
final class LambdaRoute implements HttpHandler {

    private final HttpApiHandler handler;

    LambdaRoute(HttpApiHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            APIGatewayV2HTTPResponse response = handler.handleRequest(ApiGatewayEvents.event(exchange.getRequestMethod(),
                    exchange.getRequestURI(), exchange.getRequestHeaders(), body,
                    exchange.getRemoteAddress().getAddress().getHostAddress()), null);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            }
            String text = response.getBody() == null ? "" : response.getBody();
            byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
            Http.send(exchange, response.getStatusCode(), bytes);
        }
    }
}
