package dev.tenantprovisioner.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The credentials endpoint Lambda gives a SnapStart function, on a free loopback port. It follows:
 * <ul>
 *   <li>the Lambda developer guide, "Activating and managing Lambda SnapStart": the runtime uses container
 *       credentials ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}) instead
 *       of the access key variables;</li>
 *   <li>aws-lambda-runtime-interface-emulator, {@code lambda/rapidcore/env/environment.go} (the URI is
 *       {@code http://<runtime api>/2021-04-23/credentials}), {@code lambda/rapi/handler/credentials.go} (the token
 *       arrives as the {@code Authorization} header, a wrong one is refused) and {@code lambda/core/credentials.go}
 *       (the JSON fields AccessKeyId, SecretAccessKey, Token, Expiration; 16 minutes of validity);</li>
 *   <li>the AWS SDK for Java v2's {@code ContainerCredentialsProvider}, which reads exactly those fields.</li>
 * </ul>
 */
final class ContainerCredentialsEndpoint implements AutoCloseable {

    static final String PATH = "/2021-04-23/credentials";
    static final String ACCESS_KEY = "ASIAE2ECONTAINERKEY";
    static final String SESSION_TOKEN = "e2e-container-session-token";

    private final HttpServer server;
    private final String token;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    ContainerCredentialsEndpoint(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext(PATH, exchange -> {
            try (exchange) {
                if (!token.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                served.incrementAndGet();
                String expiration = Instant.now()
                        .plus(16, ChronoUnit.MINUTES)
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString();
                byte[] body = ("{\"AccessKeyId\":\"" + ACCESS_KEY + "\",\"SecretAccessKey\":\"e2e-container-secret\","
                                + "\"Token\":\"" + SESSION_TOKEN + "\",\"Expiration\":\"" + expiration + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    String token() {
        return token;
    }

    int served() {
        return served.get();
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
