package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The landing page and its few files, from the classpath: no build step, nothing generated. */
final class StaticAssets implements HttpHandler {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/assets/app.css", "app.css",
            "/assets/app.js", "app.js",
            "/assets/favicon.svg", "favicon.svg");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    static boolean serves(String path) {
        return FILES.containsKey(path);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("allow", "GET, HEAD");
                Http.send(exchange, 405, "method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String file = FILES.get(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("content-type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            exchange.getResponseHeaders().set("cache-control", "no-cache");
            exchange.getResponseHeaders().set("x-content-type-options", "nosniff");
            exchange.getResponseHeaders().set("referrer-policy", "no-referrer");
            Http.send(exchange, 200, read(file));
        }
    }

    private static byte[] read(String file) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("/public/" + file)) {
            if (in == null) {
                throw new IllegalStateException("asset /public/" + file + " missing from the runner's jar");
            }
            return in.readAllBytes();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
