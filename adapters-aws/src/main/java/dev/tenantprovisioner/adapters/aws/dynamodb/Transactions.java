package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Sends {@code TransactWriteItems} and reads a cancellation item by item: which condition was lost
 * (with the item DynamoDB returned), or whether another writer got in the way and a retry will do.
 */
final class Transactions {

    /** Rounds of contention before giving up; each lost round means another caller made progress. */
    static final int MAX_ATTEMPTS = 64;

    private static final String CONDITION_LOST = "ConditionalCheckFailed";
    private static final Set<String> CONTENTION =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private static final long MAX_BACKOFF_MILLIS = 100;

    /** How a transaction ended: applied, or cancelled with one reason per item, in request order. */
    record Result(List<CancellationReason> reasons) {

        static final Result APPLIED = new Result(List.of());

        boolean succeeded() {
            return reasons.isEmpty();
        }

        boolean lost(int item) {
            return item < reasons.size()
                    && CONDITION_LOST.equals(reasons.get(item).code());
        }

        Optional<Map<String, AttributeValue>> oldItem(int item) {
            return item < reasons.size()
                            && reasons.get(item).hasItem()
                            && !reasons.get(item).item().isEmpty()
                    ? Optional.of(reasons.get(item).item())
                    : Optional.empty();
        }

        boolean contended() {
            return reasons.stream().map(CancellationReason::code).anyMatch(CONTENTION::contains);
        }

        String codes() {
            return reasons.stream().map(CancellationReason::code).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    private final DynamoDbClient client;
    private final TableName table;
    private final Requests requests;
    private final Jitter jitter;

    Transactions(DynamoDbClient client, TableName table, Requests requests, Jitter jitter) {
        this.client = client;
        this.table = table;
        this.requests = requests;
        this.jitter = jitter;
    }

    Result write(String what, Map<String, AttributeValue> key, List<TransactWriteItem> items) {
        try {
            requests.send(
                    "TransactWriteItems (" + what + ")",
                    key,
                    () -> client.transactWriteItems(r -> r.transactItems(items)));
            return Result.APPLIED;
        } catch (TransactionCanceledException cancelled) {
            Result result =
                    new Result(cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of());
            boolean understood = result.contended()
                    || result.reasons().stream().anyMatch(reason -> CONDITION_LOST.equals(reason.code()));
            if (!understood) {
                throw requests.failure(
                        "TransactWriteItems (" + what + ")",
                        Keys.describe(key),
                        "cancelled " + result.codes() + ": " + cancelled.getMessage(),
                        false);
            }
            return result;
        }
    }

    /** Full jitter, so callers that collided spread out instead of colliding again. */
    void backOff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 10));
        try {
            Thread.sleep(jitter.upTo(cap));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while retrying a write to " + table, true, e);
        }
    }

    InfrastructureException gaveUp(String what, Map<String, AttributeValue> key) {
        return requests.failure(
                "TransactWriteItems (" + what + ")",
                Keys.describe(key),
                "still contended after " + MAX_ATTEMPTS + " attempts",
                true);
    }
}
