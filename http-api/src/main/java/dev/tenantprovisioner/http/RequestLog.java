package dev.tenantprovisioner.http;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One structured JSON line per request: request id, route, tenant, outcome, status, duration. Only
 * what is put here is logged, and nothing secret or personal (no keys, no full email address) is put here.
 *
 * <p>Metrics ride in the same line, in CloudWatch's embedded metric format
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * a line with a metric carries an {@code _aws} block naming it under {@link #NAMESPACE} with the dimension
 * {@code service}, and the metric's value as a field of its own. CloudWatch Logs turns such lines into metrics; anywhere
 * else they are plain JSON.
 */
public final class RequestLog {

    /** The CloudWatch namespace of the metrics. */
    public static final String NAMESPACE = "TenantProvisioner";
    /** The metrics a line may carry. */
    public static final String PROVISIONED = "Provisioned";

    public static final String NO_CAPACITY = "NoCapacity";
    public static final String FAILED = "Failed";
    public static final String EMAIL_FAILED = "EmailFailed";
    public static final String SWEEP_BACKLOG = "SweepBacklog";
    /** A provision refused for a limit (MAX_ACTIVE_TENANTS, MAX_CONCURRENT_PROVISIONS). */
    public static final String LIMIT_REACHED = "LimitReached";

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Number> metrics = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    public RequestLog(String requestId) {
        this(requestId, Map.of());
    }

    /** A line that starts with {@code context}: where it runs (a Lambda's request id, function, cold start...). */
    public RequestLog(String requestId, Map<String, Object> context) {
        fields.put("time", Instant.now().toString());
        fields.put("level", "INFO");
        fields.put("requestId", requestId);
        fields.putAll(context);
    }

    /** Counts one of {@code metric} in this line. */
    public RequestLog count(String metric) {
        metrics.merge(metric, 1, (a, b) -> a.intValue() + b.intValue());
        return this;
    }

    /** Reports {@code metric} at {@code value} in this line (a level, such as a backlog). */
    public RequestLog gauge(String metric, long value) {
        metrics.put(metric, value);
        return this;
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
        if (!metrics.isEmpty()) {
            fields.put("service", "tenant-provisioner");
            List<Map<String, Object>> definitions = new ArrayList<>();
            metrics.forEach((name, value) -> {
                definitions.add(Map.of("Name", name, "Unit", "Count"));
                fields.put(name, value);
            });
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", NAMESPACE);
            directive.put("Dimensions", List.of(List.of("service")));
            directive.put("Metrics", definitions);
            Map<String, Object> aws = new LinkedHashMap<>();
            aws.put("Timestamp", System.currentTimeMillis());
            aws.put("CloudWatchMetrics", List.of(directive));
            fields.put("_aws", aws);
        }
        out.println(Json.write(fields));
    }
}
