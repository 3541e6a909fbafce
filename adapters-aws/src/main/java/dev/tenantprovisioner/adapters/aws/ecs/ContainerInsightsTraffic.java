package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
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
 * that round from it ({@link FilterLogEvents}: paged, retried on throttling). Any received byte counts as traffic, so
 * a doubt keeps a tenant running; a read that fails suspends nobody that round.
 */
public final class ContainerInsightsTraffic implements TrafficMonitor {

    static final String FILTER = "{ $.Type = \"Task\" && $.NetworkRxBytes > 0 }";
    /**
     * Asked tenant by tenant ({@link #lastActivity}), an answer, or a failure, is reused this long, so a round makes one
     * query however many tenants it looks at.
     */
    static final Duration REUSE_FOR = Duration.ofMinutes(1);

    private final FilterLogEvents logs;
    private final Duration lookBack;
    private final Clock clock;
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
        this.logs = new FilterLogEvents(
                http,
                region,
                credentials,
                endpoint,
                logGroup(cluster),
                "turn Container Insights on for the cluster (the template does when IdleSuspendAfter is set with"
                        + " IdleTrafficSource container-insights)",
                retries);
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** CloudWatch Logs' regional endpoint, from the SDK's own endpoint metadata. */
    public static URI endpointFor(Region region) {
        return FilterLogEvents.endpointFor(region);
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
        Map<String, Instant> seen = new HashMap<>();
        logs.read(
                FILTER,
                now.minus(lookBack),
                now,
                (at, message) ->
                        taskOf(message).ifPresent(task -> seen.merge(task, at, (a, b) -> a.isAfter(b) ? a : b)));
        return new Snapshot(seen);
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

    /** The {@code TaskId} of a performance log event; empty for a message that is not one. */
    private static Optional<String> taskOf(String message) {
        try {
            return FilterLogEvents.text(JsonNode.parser().parse(message), "TaskId");
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
