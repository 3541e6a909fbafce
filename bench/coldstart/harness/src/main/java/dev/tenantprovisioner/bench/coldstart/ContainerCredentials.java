package dev.tenantprovisioner.bench.coldstart;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The credentials endpoint a SnapStart function gets instead of access key variables (Lambda developer guide,
 * "Activating and managing Lambda SnapStart"; request and answer as in aws-lambda-runtime-interface-emulator,
 * lambda/rapi/handler/credentials.go and lambda/core/credentials.go): the token in {@code Authorization}, JSON with
 * AccessKeyId, SecretAccessKey, Token and Expiration.
 */
final class ContainerCredentials implements AutoCloseable {

    static final String TOKEN = "bench-authorization-token";
    private final HttpServer server;

    ContainerCredentials() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/2021-04-23/credentials", exchange -> {
            try (exchange) {
                if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body =
                        ("{\"AccessKeyId\":\"ASIABENCH\",\"SecretAccessKey\":\"bench\",\"Token\":\"bench-session\","
                                        + "\"Expiration\":\""
                                        + Instant.now()
                                                .plus(16, ChronoUnit.MINUTES)
                                                .truncatedTo(ChronoUnit.SECONDS) + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/2021-04-23/credentials";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
