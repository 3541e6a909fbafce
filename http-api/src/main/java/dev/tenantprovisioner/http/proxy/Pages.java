package dev.tenantprovisioner.http.proxy;

import dev.tenantprovisioner.domain.usecase.ListRoutes.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages the proxy answers itself, as Caddy {@code static_response} handlers. Each says what happened in a sentence,
 * with the status that means it, and carries the {@link CaddyConfig#MARK} header; none repeats what the request sent
 * (a {@code Host} header is the sender's to choose).
 */
final class Pages {

    private Pages() {}

    /** A name that is no live tenant's: nothing lives here, so nobody's app answers. */
    static Map<String, Object> noRoute() {
        return page(
                404,
                "no-route",
                "No instance here",
                "There is no instance at this address. If you were sent a link, check it, or ask whoever sent it.",
                false);
    }

    /** A suspended tenant: its port, data and link are kept, its app is stopped. */
    static Map<String, Object> suspended(Route route) {
        return page(
                503,
                "suspended",
                "This instance is suspended",
                "The instance " + route.tenant().value() + " is suspended: its data is kept, and it answers here again"
                        + " once it is resumed.",
                false);
    }

    /**
     * A tenant's app that does not answer: starting (just woken or restarted), or crashed. The page asks again by
     * itself, so a visitor who arrived while it starts lands on the app.
     */
    static Map<String, Object> appDown() {
        return page(
                502,
                "app-not-answering",
                "This instance is not answering yet",
                "The instance at this address did not answer. It may be starting; this page tries again by itself.",
                true);
    }

    private static Map<String, Object> page(int status, String mark, String title, String sentence, boolean retry) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("text/html; charset=utf-8"));
        headers.put("Cache-Control", List.of("no-store"));
        headers.put(CaddyConfig.MARK, List.of(mark));
        if (retry) {
            headers.put("Retry-After", List.of("5"));
        }
        Map<String, Object> handler = new LinkedHashMap<>();
        handler.put("handler", "static_response");
        handler.put("status_code", status);
        handler.put("headers", headers);
        handler.put("body", html(title, sentence, retry ? 5 : 0));
        return handler;
    }

    /**
     * A page with a title and a sentence, both escaped (a sentence may carry a runtime's or a probe's own words); with
     * {@code refreshSeconds} above 0, it asks for itself again that often.
     */
    static String html(String rawTitle, String rawSentence, int refreshSeconds) {
        String title = escape(rawTitle);
        String sentence = escape(rawSentence);
        String refresh = refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">" : "";
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
                + " content=\"width=device-width, initial-scale=1\">" + refresh + "<title>" + title
                + "</title><style>body{font:16px/1.5"
                + " system-ui,sans-serif;max-width:34em;margin:15vh auto;padding:0 1em;color:#222}h1{font-size:1.4em}"
                + "</style></head><body><h1>" + title + "</h1><p>" + sentence + "</p></body></html>\n";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
