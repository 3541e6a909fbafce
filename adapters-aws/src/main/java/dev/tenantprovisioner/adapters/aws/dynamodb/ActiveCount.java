package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * How many tenants hold a port: the {@code COUNT} item's {@code active}, moved by one in the same transaction that
 * claims or gives up a port's owner item, so it is exact whatever runs concurrently, and a grant can be refused under a
 * limit atomically. Every such transaction requires the count to exist: a table written by a version before the count
 * has none, and the first port move {@link #seed seeds} it by counting the owner items, while no port can move.
 */
final class ActiveCount {

    static final String ACTIVE = "active";

    private final DynamoDbClient client;
    private final TableName table;
    private final Requests requests;

    ActiveCount(DynamoDbClient client, TableName table, Requests requests) {
        this.client = client;
        this.table = table;
        this.requests = requests;
    }

    /** One more tenant holds a port, if fewer than {@code max} do ({@link Integer#MAX_VALUE}: no limit). */
    TransactWriteItem increment(int max) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", Keys.n(1)));
        String condition = "attribute_exists(#active)";
        if (max != Integer.MAX_VALUE) {
            condition += " AND #active < :max";
            values.put(":max", Keys.n(max));
        }
        return update("SET #active = #active + :one", condition, values);
    }

    /** One tenant fewer holds a port. */
    TransactWriteItem decrement() {
        return update("SET #active = #active - :one", "attribute_exists(#active)", Map.of(":one", Keys.n(1)));
    }

    private TransactWriteItem update(String expression, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table.value())
                        .key(Keys.counter())
                        .updateExpression(expression)
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#active", ACTIVE))
                        .expressionAttributeValues(values)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build())
                .build();
    }

    /** Whether a lost condition on the count (the item {@code old} returned with it) was its absence. */
    static boolean missing(java.util.Optional<Map<String, AttributeValue>> old) {
        return old.map(item -> !item.containsKey(ACTIVE)).orElse(true);
    }

    /**
     * Writes the count where there is none, from the port owner items (a consistent Scan, once per table). Exact: no
     * transaction that claims or gives up a port can succeed while the count is missing. A seed that loses to another's
     * changes nothing.
     */
    void seed() {
        long owned = 0;
        Map<String, AttributeValue> from = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder()
                    .tableName(table.value())
                    .consistentRead(true)
                    .select(Select.COUNT)
                    .filterExpression("begins_with(#pk, :port)")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK))
                    .expressionAttributeValues(Map.of(":port", Keys.s("PORT#")));
            if (from != null) {
                scan.exclusiveStartKey(from);
            }
            ScanResponse page = requests.send("Scan", Keys.counter(), () -> client.scan(scan.build()));
            owned += page.count();
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        Map<String, AttributeValue> item = new HashMap<>(Keys.counter());
        item.put(ACTIVE, Keys.n(owned));
        try {
            requests.send(
                    "PutItem",
                    Keys.counter(),
                    () -> client.putItem(r -> r.tableName(table.value())
                            .item(item)
                            .conditionExpression("attribute_not_exists(#active)")
                            .expressionAttributeNames(Map.of("#active", ACTIVE))));
        } catch (ConditionalCheckFailedException seededMeanwhile) {
            // Another caller counted first; its count is as good.
        }
    }

    /** A new table's count: nobody holds a port. */
    static Map<String, AttributeValue> empty() {
        Map<String, AttributeValue> item = new HashMap<>(Keys.counter());
        item.put(ACTIVE, Keys.n(0));
        return item;
    }

    /** The count as stored, or -1 where there is none yet. */
    long read() {
        Map<String, AttributeValue> item = requests.send(
                        "GetItem",
                        Keys.counter(),
                        () -> client.getItem(r ->
                                r.tableName(table.value()).key(Keys.counter()).consistentRead(true)))
                .item();
        return item == null || !item.containsKey(ACTIVE)
                ? -1
                : Long.parseLong(item.get(ACTIVE).n());
    }
}
