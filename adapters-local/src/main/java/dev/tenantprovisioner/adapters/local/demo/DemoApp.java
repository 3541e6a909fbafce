package dev.tenantprovisioner.adapters.local.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The tenant application the local runner starts by default: answers "Hello, {tenant}" on
 * {@code $PORT}. Started by a runner ({@code PROVISIONER_PID} set), it exits when its standard input
 * closes or that process ends, so a runner killed with SIGKILL leaves no tenant behind.
 */
public final class DemoApp {

    /** The {@code User-Agent} of the provisioner's readiness probe (adapters-http, HttpLinkProbe). */
    static final String READINESS_AGENT = "tenant-provisioner-readiness";

    private DemoApp() {}

    public static void main(String[] args) throws IOException {
        String tenant = Optional.ofNullable(System.getenv("TENANT_ID")).orElse("tenant");
        int port = Integer.parseInt(Optional.ofNullable(System.getenv("PORT")).orElse("3000"));
        String bind = Optional.ofNullable(System.getenv("BIND_HOST")).orElse("127.0.0.1");
        Instant started = Instant.now();
        Optional<VisitCounter> counter = VisitCounter.fromEnvironment(System.getenv());
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        server.createContext("/", exchange -> {
            // Only the page counts: a browser's favicon request is not a visit, nor the provisioner asking whether
            // the page answers before it emails the link.
            boolean visit = exchange.getRequestURI().getPath().equals("/")
                    && !READINESS_AGENT.equals(exchange.getRequestHeaders().getFirst("user-agent"));
            Optional<String> visits = visit ? counter.map(VisitCounter::countVisit) : Optional.empty();
            byte[] body = page(tenant, port, started, visits).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("x-tenant-id", tenant);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        exitWithParent();
    }

    private static void exitWithParent() {
        Optional<String> provisioner = Optional.ofNullable(System.getenv("PROVISIONER_PID"));
        if (provisioner.isPresent()) {
            ProcessHandle.of(Long.parseLong(provisioner.get()))
                    .ifPresentOrElse(
                            parent -> parent.onExit()
                                    .thenRun(() -> Runtime.getRuntime().halt(0)),
                            () -> Runtime.getRuntime().halt(0));
            Thread watcher = new Thread(
                    () -> {
                        try (InputStream in = System.in) {
                            while (in.read() >= 0) {
                                // Nothing is ever sent; we only wait for the runner's end of the pipe to close.
                            }
                        } catch (IOException closed) {
                            // A broken pipe means the same as end of input.
                        }
                        Runtime.getRuntime().halt(0);
                    },
                    "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    static String page(String tenant, int port, Instant started, Optional<String> visits) {
        String name = escape(tenant);
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Hello, " + name + "</title><style>"
                + "body{margin:0;min-height:100vh;display:grid;place-items:center;"
                + "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
                + "background:linear-gradient(135deg,#0f172a,#1e3a8a);color:#0f172a}"
                + "main{background:#fff;border-radius:16px;padding:40px 48px;max-width:520px;margin:24px;"
                + "box-shadow:0 20px 50px rgba(0,0,0,.35)}"
                + "h1{margin:0 0 8px;font-size:2rem}p{color:#475569;line-height:1.5}"
                + "dl{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;margin:24px 0 0;font-size:.9rem}"
                + "dt{color:#64748b}dd{margin:0;font-family:ui-monospace,monospace}"
                + "</style></head><body><main>"
                + "<h1>Hello, " + name + "</h1>"
                + "<p>This is your own instance, running in its own process.</p>"
                + "<dl><dt>Tenant</dt><dd>" + name + "</dd><dt>Port</dt><dd>" + port + "</dd>"
                + "<dt>Started</dt><dd>" + started + "</dd>"
                + visits.map(line -> "<dt>Visits</dt><dd id=\"visits\">" + escape(line) + "</dd>")
                        .orElse("")
                + "</dl>"
                + "</main></body></html>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
