package dev.tenantprovisioner.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the API sees it, whatever carried it (API Gateway, the local runner). Header
 * names are matched case-insensitively; the body is the raw bytes as sent.
 */
public record ApiRequest(
        String method, String path, Map<String, String> headers, byte[] body, String requestId, String query) {

    /** A request without a query string. */
    public ApiRequest(String method, String path, Map<String, String> headers, byte[] body, String requestId) {
        this(method, path, headers, body, requestId, "");
    }

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(requestId, "requestId");
        Map<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = lower;
        body = body == null ? new byte[0] : body;
        method = method.toUpperCase(Locale.ROOT);
        query = query == null ? "" : query;
    }

    /** A query parameter's value (percent-decoded; the first if repeated). */
    public Optional<String> parameter(String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(key).equals(name)) {
                return Optional.of(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String part) {
        try {
            return java.net.URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return part;
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
