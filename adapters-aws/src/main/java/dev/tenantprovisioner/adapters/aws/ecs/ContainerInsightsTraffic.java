package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * When each tenant's task last received traffic, read from Amazon ECS Container Insights: with Container Insights on
 * for the cluster, the ECS agent on each container instance writes one performance log event per task per minute to
 * the log group {@code /aws/ecs/containerinsights/<cluster>/performance}, with the task's {@code TaskId} and the
 * bytes it received ({@code NetworkRxBytes}, for tasks in bridge or awsvpc network mode). No agent runs in the
 * tenant's image, and none is added to the instance (Amazon CloudWatch user guide, "Container Insights performance
 * log events for Amazon ECS",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html).
 *
 * <p>One sweep round asks CloudWatch Logs once ({@link #snapshot}: {@code FilterLogEvents}, JSON 1.1 protocol; API
 * reference: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html) for the
 * task events of the look-back window that received any bytes (a JSON filter pattern, CloudWatch Logs user guide,
 * "Filter pattern syntax for metric filters, subscription filters, and filter log events"), and answers every tenant of
 * that round from it. Any received byte counts as traffic, so a doubt keeps a tenant running; a read that fails
 * suspends nobody that round.
 *
 * <p>What the API allows: FilterLogEvents is held to "5 transactions per second (TPS)/account/Region. This quota can't
 * be changed." (CloudWatch Logs user guide, quotas,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html), and a throttled call answers
 * HTTP 400 {@code ThrottlingException} "Rate exceeded", for which AWS says to "Use exponential backoff and retries"
 * (AWS re:Post Knowledge Center, https://repost.aws/knowledge-center/cloudwatch-logs-throttling): each page is tried up
 * to {@link Retries#attempts()} times with a growing, jittered pause. "A returned page might only be partially full, or
 * even empty ... If the results don't include a nextToken, then pagination is finished" (API reference): an empty page
 * with a token is followed like any other.
 */
public final class ContainerInsightsTraffic implements TrafficMonitor {

    static final String TARGET = "Logs_20140328.FilterLogEvents";
    static final String FILTER = "{ $.Type = \"Task\" && $.NetworkRxBytes > 0 }";
    /**
     * Asked tenant by tenant ({@link #lastActivity}), an answer, or a failure, is reused this long, so a round makes one
     * query however many tenants it looks at.
     */
    static final Duration REUSE_FOR = Duration.ofMinutes(1);

    private static final int MAX_PAGES = 1_000;

    private final SignedPost logs;
    private final String logGroup;
    private final Duration lookBack;
    private final Clock clock;
    private final Retries retries;
    private Snapshot lastRead;
    private InfrastructureException lastFailure;
    private Instant readAt;

    public ContainerInsightsTraffic(
            SdkHttpClient http,
            Region region,
            AwsCredentialsProvider credentials,
            URI endpoint,
            String cluster,
            Duration lookBack,
            Clock clock) {
        this(http, region, credentials, endpoint, cluster, lookBack, clock, Retries.DEFAULT);
    }

    public ContainerInsightsTraffic(
            SdkHttpClient http,
            Region region,
            AwsCredentialsProvider credentials,
            URI endpoint,
            String cluster,
            Duration lookBack,
            Clock clock,
            Retries retries) {
        this.logs = new SignedPost(http, region, credentials, endpoint, "logs");
        this.logGroup = logGroup(cluster);
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    /** CloudWatch Logs' regional endpoint, from the SDK's own endpoint metadata. */
    public static URI endpointFor(Region region) {
        return URI.create("https://" + ServiceMetadata.of("logs").endpointFor(region));
    }

    /** The cluster's performance log group; the cluster is a name or an ARN ({@code ...:cluster/<name>}). */
    public static String logGroup(String cluster) {
        String name = cluster.substring(cluster.lastIndexOf('/') + 1);
        return "/aws/ecs/containerinsights/" + name + "/performance";
    }

    /** One read for the whole round: every page of the window, each page retried on throttling. */
    @Override
    public TrafficMonitor snapshot() {
        Instant now = clock.instant();
        return new Snapshot(read(now.minus(lookBack), now));
    }

    @Override
    public Optional<Instant> lastActivity(Lease lease) {
        if (lease.task().isEmpty()) {
            return Optional.empty();
        }
        return recent().lastActivity(lease);
    }

    /** The tasks' latest traffic as one read found it. */
    private record Snapshot(Map<String, Instant> lastSeen) implements TrafficMonitor {
        @Override
        public Optional<Instant> lastActivity(Lease lease) {
            return lease.task().map(task -> lastSeen.get(taskId(task.value())));
        }
    }

    /** Container Insights names a task by the last part of its ARN. */
    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** The last read, or its failure, while it is recent; a failed read is not repeated for the next tenant. */
    private synchronized TrafficMonitor recent() {
        Instant now = clock.instant();
        if (readAt == null || !readAt.plus(REUSE_FOR).isAfter(now)) {
            readAt = now;
            try {
                lastRead = (Snapshot) snapshot();
                lastFailure = null;
            } catch (InfrastructureException failed) {
                lastRead = null;
                lastFailure = failed;
            }
        }
        if (lastFailure != null) {
            throw lastFailure;
        }
        return lastRead;
    }

    private Map<String, Instant> read(Instant from, Instant to) {
        Map<String, Instant> seen = new HashMap<>();
        Optional<String> next = Optional.empty();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = call(request(from, to, next));
            answer.field("events")
                    .filter(JsonNode::isArray)
                    .map(JsonNode::asArray)
                    .orElse(java.util.List.of())
                    .forEach(event -> record(event, seen));
            next = text(answer, "nextToken");
            if (next.isEmpty()) {
                return seen;
            }
        }
        throw new InfrastructureException(
                "CloudWatch Logs FilterLogEvents on " + logGroup + " had more than " + MAX_PAGES + " pages", true);
    }

    private static void record(JsonNode event, Map<String, Instant> seen) {
        Optional<Instant> at = event.field("timestamp")
                .filter(JsonNode::isNumber)
                .map(n -> Instant.ofEpochMilli(Long.parseLong(n.asNumber())));
        Optional<String> task = text(event, "message").flatMap(ContainerInsightsTraffic::taskOf);
        if (at.isPresent() && task.isPresent()) {
            seen.merge(task.get(), at.get(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The {@code TaskId} of a performance log event; empty for a message that is not one. */
    private static Optional<String> taskOf(String message) {
        try {
            return text(JsonNode.parser().parse(message), "TaskId");
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    String request(Instant from, Instant to, Optional<String> nextToken) {
        return "{\"logGroupName\":" + quoted(logGroup) + ",\"startTime\":" + from.toEpochMilli() + ",\"endTime\":"
                + to.toEpochMilli() + ",\"filterPattern\":" + quoted(FILTER)
                + nextToken.map(token -> ",\"nextToken\":" + quoted(token)).orElse("") + "}";
    }

    /** One page, retried with growing pauses while CloudWatch Logs throttles or fails for the moment. */
    private JsonNode call(String body) {
        java.util.Random jitter = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return callOnce(body);
            } catch (InfrastructureException failed) {
                if (!failed.retryable() || attempt >= retries.attempts()) {
                    throw attempt == 1
                            ? failed
                            : new InfrastructureException(
                                    failed.getMessage() + " (after " + attempt + " attempts)",
                                    failed.retryable(),
                                    failed);
                }
                // Made per read, never at init: a SnapStart snapshot would give every restored copy the same sequence.
                jitter = jitter == null ? new java.security.SecureRandom() : jitter;
                Retries.sleep(retries.pause(attempt, jitter), "to ask CloudWatch Logs again");
            }
        }
    }

    private JsonNode callOnce(String body) {
        SignedPost.Answer answer;
        try {
            answer = logs.post(Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", TARGET), body);
        } catch (IOException | UncheckedIOException e) {
            throw new InfrastructureException(
                    "CloudWatch Logs FilterLogEvents on " + logGroup + " failed: " + e.getMessage(), true, e);
        }
        JsonNode json;
        try {
            json = JsonNode.parser().parse(answer.body());
        } catch (RuntimeException unreadable) {
            throw new InfrastructureException(
                    "CloudWatch Logs answered " + answer.status() + " with an unreadable body", true, unreadable);
        }
        if (answer.status() / 100 != 2) {
            throw failure(answer.status(), json);
        }
        return json;
    }

    private InfrastructureException failure(int status, JsonNode json) {
        String type = text(json, "__type")
                .map(t -> t.substring(t.lastIndexOf('#') + 1))
                .orElse("");
        String message = text(json, "message").or(() -> text(json, "Message")).orElse("");
        if (type.equals("ResourceNotFoundException")) {
            return new InfrastructureException(
                    "no log group " + logGroup + ": turn Container Insights on for the cluster (the template does "
                            + "when IdleSuspendAfter is set); " + message,
                    false);
        }
        boolean retryable = status >= 500
                || status == 429
                || type.equals("ThrottlingException")
                || type.equals("ServiceUnavailableException");
        return new InfrastructureException(
                "CloudWatch Logs FilterLogEvents on " + logGroup + " answered " + status + " " + type + ": " + message,
                retryable);
    }

    private static Optional<String> text(JsonNode object, String field) {
        return object.isObject()
                ? object.field(field).filter(JsonNode::isString).map(JsonNode::asString)
                : Optional.empty();
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
