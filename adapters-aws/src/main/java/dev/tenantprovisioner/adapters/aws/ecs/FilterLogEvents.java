package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * Reads the events of one log group that match a filter pattern over a window, with CloudWatch Logs'
 * {@code FilterLogEvents} (JSON 1.1 protocol, one SigV4-signed POST a page; API reference:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html), for the traffic
 * readers of idle suspension.
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
final class FilterLogEvents {

    static final String TARGET = "Logs_20140328.FilterLogEvents";

    private static final int MAX_PAGES = 1_000;

    private final SignedPost logs;
    private final String logGroup;
    private final String whenMissing;
    private final Retries retries;

    /** {@code whenMissing}: what to tell the operator when the log group does not exist. */
    FilterLogEvents(
            SdkHttpClient http,
            Region region,
            AwsCredentialsProvider credentials,
            URI endpoint,
            String logGroup,
            String whenMissing,
            Retries retries) {
        this.logs = new SignedPost(http, region, credentials, endpoint, "logs");
        this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
        this.whenMissing = Objects.requireNonNull(whenMissing, "whenMissing");
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    /** CloudWatch Logs' regional endpoint, from the SDK's own endpoint metadata. */
    static URI endpointFor(Region region) {
        return URI.create("https://" + ServiceMetadata.of("logs").endpointFor(region));
    }

    String logGroup() {
        return logGroup;
    }

    /**
     * Hands every event of {@code [from, to]} that matches {@code pattern} to {@code event} (its timestamp and its
     * message), page after page to the last.
     *
     * @throws InfrastructureException if a page cannot be read, after its retries
     */
    void read(String pattern, Instant from, Instant to, BiConsumer<Instant, String> event) {
        Optional<String> next = Optional.empty();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = call(request(pattern, from, to, next));
            answer.field("events")
                    .filter(JsonNode::isArray)
                    .map(JsonNode::asArray)
                    .orElse(java.util.List.of())
                    .forEach(found -> {
                        Optional<Instant> at = found.field("timestamp")
                                .filter(JsonNode::isNumber)
                                .map(n -> Instant.ofEpochMilli(Long.parseLong(n.asNumber())));
                        Optional<String> message = text(found, "message");
                        if (at.isPresent() && message.isPresent()) {
                            event.accept(at.get(), message.get());
                        }
                    });
            next = text(answer, "nextToken");
            if (next.isEmpty()) {
                return;
            }
        }
        throw new InfrastructureException(
                "CloudWatch Logs FilterLogEvents on " + logGroup + " had more than " + MAX_PAGES + " pages", true);
    }

    String request(String pattern, Instant from, Instant to, Optional<String> nextToken) {
        return "{\"logGroupName\":" + quoted(logGroup) + ",\"startTime\":" + from.toEpochMilli() + ",\"endTime\":"
                + to.toEpochMilli() + ",\"filterPattern\":" + quoted(pattern)
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
            return new InfrastructureException("no log group " + logGroup + ": " + whenMissing + "; " + message, false);
        }
        boolean retryable = status >= 500
                || status == 429
                || type.equals("ThrottlingException")
                || type.equals("ServiceUnavailableException");
        return new InfrastructureException(
                "CloudWatch Logs FilterLogEvents on " + logGroup + " answered " + status + " " + type + ": " + message,
                retryable);
    }

    static Optional<String> text(JsonNode object, String field) {
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
