package dev.tenantprovisioner.http;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured JSON line per request: request id, route, tenant, outcome, status, duration. Only
 * what is put here is logged, and nothing secret or personal (no keys, no full email address) is put here.
 */
public final class RequestLog {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    public RequestLog(String requestId) {
        fields.put("time", Instant.now().toString());
        fields.put("level", "INFO");
        fields.put("requestId", requestId);
    }

    public RequestLog put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public void warn() {
        fields.put("level", "WARN");
    }

    public void error() {
        fields.put("level", "ERROR");
    }

    public void emit(PrintStream out) {
        fields.put("durationMs", (System.nanoTime() - startNanos) / 1_000_000.0);
        out.println(Json.write(fields));
    }
}
