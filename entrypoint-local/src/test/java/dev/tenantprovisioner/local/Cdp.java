package dev.tenantprovisioner.local;

import dev.tenantprovisioner.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Chrome DevTools Protocol client for one headless Chromium page, over the JDK's WebSocket:
 * enough to navigate, run a script, type, click and take a screenshot.
 */
final class Cdp implements AutoCloseable {

    static final long STEP_BOUND_SECONDS = 60;

    private final Process browser;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private Cdp(Process browser, WebSocket socket) {
        this.browser = browser;
        this.socket = socket;
    }

    /** Starts Chromium headless with a fresh profile and attaches to its first page. */
    static Cdp launch(String chromium, Path profile, List<String> extraFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--window-size=1280,1400",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0"));
        command.addAll(extraFlags);
        command.add("about:blank");
        Process browser = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling("chromium.log").toFile())
                .start();
        try {
            int port = devToolsPort(browser, profile.resolve("DevToolsActivePort"));
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> targets = (List<Map<String, Object>>) Json.parse(list);
            String pageSocket = targets.stream()
                    .filter(t -> "page".equals(t.get("type")))
                    .map(t -> (String) t.get("webSocketDebuggerUrl"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("Chromium shows no page target: " + list));
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket), listener)
                    .get(STEP_BOUND_SECONDS, TimeUnit.SECONDS);
            Cdp cdp = new Cdp(browser, socket);
            listener.cdp = cdp;
            return cdp;
        } catch (Exception | AssertionError failed) {
            destroy(browser);
            throw failed;
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true)
                .get(STEP_BOUND_SECONDS, TimeUnit.SECONDS);
        Map<String, Object> message = answer.get(STEP_BOUND_SECONDS, TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new AssertionError(method + " failed: " + message.get("error"));
        }
        return (Map<String, Object>) message.get("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its JSON value. */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws Exception {
        Map<String, Object> result =
                send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new AssertionError("script failed: " + expression + "\n" + result.get("exceptionDetails"));
        }
        return ((Map<String, Object>) result.get("result")).get("value");
    }

    /** Polls a boolean expression until it holds; the bound only guards against a hung page. */
    void await(String what, String condition) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(STEP_BOUND_SECONDS);
        while (System.currentTimeMillis() < deadline) {
            if (Boolean.TRUE.equals(
                    eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + STEP_BOUND_SECONDS + " s for " + what + "; page text:\n"
                + eval("document.body ? document.body.innerText : '(no body)'"));
    }

    /** A real mouse click in the middle of the element, as a user's would be. */
    void click(String selector) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> box =
                (Map<String, Object>) eval("(() => { const e = document.querySelector('" + selector + "');"
                        + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                        + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send(
                    "Input.dispatchMouseEvent",
                    Map.of("type", type, "x", box.get("x"), "y", box.get("y"), "button", "left", "clickCount", 1));
        }
    }

    /** Focuses the field and types into it. */
    void type(String selector, String text) throws Exception {
        eval("document.querySelector('" + selector + "').focus()");
        send("Input.insertText", Map.of("text", text));
    }

    void screenshot(Path file) throws Exception {
        Map<String, Object> shot = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() {
        socket.abort();
        destroy(browser);
    }

    private static void destroy(Process browser) {
        browser.descendants().forEach(ProcessHandle::destroyForcibly);
        browser.destroyForcibly();
        try {
            browser.waitFor(STEP_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int devToolsPort(Process browser, Path activePort) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(STEP_BOUND_SECONDS);
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(activePort)) {
                List<String> lines = Files.readAllLines(activePort);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!browser.isAlive()) {
                throw new AssertionError(
                        "Chromium exited with code " + browser.exitValue() + " before it opened DevTools");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Chromium did not open DevTools within " + STEP_BOUND_SECONDS + " s");
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private Cdp cdp;

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    Map<String, Object> message = (Map<String, Object>) Json.parse(text);
                    Object id = message.get("id");
                    if (id != null && cdp != null) {
                        CompletableFuture<Map<String, Object>> answer = cdp.pending.remove(((Number) id).intValue());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (Json.MalformedJsonException malformed) {
                    throw new IllegalStateException("DevTools sent malformed JSON", malformed);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
