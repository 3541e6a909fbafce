package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpExchange;
import dev.tenantprovisioner.http.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing answers on the JDK's HTTP server. */
final class Http {

    private Http() {}

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers()
                .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        send(exchange, response.status(), response.body().getBytes(StandardCharsets.UTF_8));
    }
}
