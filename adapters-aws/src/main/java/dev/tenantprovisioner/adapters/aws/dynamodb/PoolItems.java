package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.PortPool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The free ports. A port is free if it has a released item in the {@code POOL} partition or lies at or
 * above the high-water mark; one consistent {@code Query Limit=1} finds the lowest free port whatever
 * the number of tenants, and the write returned with it takes that port off the pool only if it is
 * still free, so two callers that saw the same candidate cannot both take it.
 */
final class PoolItems {

    /** The port to hand out and the transaction item that takes it out of the pool. */
    record Candidate(int port, TransactWriteItem take) {}

    private final DynamoDbClient client;
    private final TableName table;
    private final PortPool pool;
    private final Requests requests;

    PoolItems(DynamoDbClient client, TableName table, PortPool pool, Requests requests) {
        this.client = client;
        this.table = table;
        this.pool = pool;
        this.requests = requests;
    }

    /** The lowest free port, or empty when the pool is exhausted. One request. */
    Optional<Candidate> lowestFree() {
        QueryRequest query = QueryRequest.builder()
                .tableName(table.value())
                .keyConditionExpression("#pk = :pool AND #sk >= :first")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pool", Keys.s(Keys.POOL), ":first", Keys.n(pool.first())))
                .limit(1)
                .consistentRead(true)
                .build();
        List<Map<String, AttributeValue>> items = requests.send(
                        "Query", Keys.key(Keys.POOL, pool.first()), () -> client.query(query))
                .items();
        if (items.isEmpty()) {
            // A table nobody allocated from yet: the mark is created by the first claim.
            int port = pool.lowest();
            return Optional.of(new Candidate(port, advanceMark(port, Optional.empty())));
        }
        int sk = Integer.parseInt(items.get(0).get(Keys.SK).n());
        if (sk == Keys.HIGH_WATER_SK) {
            int next = Integer.parseInt(items.get(0).get(Keys.NEXT).n());
            if (next > pool.last()) {
                return Optional.empty();
            }
            return pool.nextFrom(next).stream()
                    .boxed()
                    .findFirst()
                    .map(port -> new Candidate(port, advanceMark(port, Optional.of(next))));
        }
        if (!pool.contains(sk)) {
            throw requests.failure(
                    "Query",
                    Keys.describe(Keys.released(sk)),
                    "released port " + sk
                            + " lies outside the configured pool " + pool.first() + "-" + pool.last()
                            + "; the pool configuration changed under a table in use",
                    false);
        }
        return Optional.of(new Candidate(sk, takeReleased(sk)));
    }

    /** The transaction item that puts a port back, for release and retire. */
    TransactWriteItem giveBack(int port) {
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table.value())
                        .item(Keys.released(port))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK))
                        .build())
                .build();
    }

    private TransactWriteItem takeReleased(int port) {
        return TransactWriteItem.builder()
                .delete(Delete.builder()
                        .tableName(table.value())
                        .key(Keys.released(port))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK))
                        .build())
                .build();
    }

    /** Moves the mark past {@code port}, provided nobody moved it since we read {@code seen}. */
    private TransactWriteItem advanceMark(int port, Optional<Integer> seen) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.highWater());
        item.put(Keys.NEXT, Keys.n(pool.nextFrom(port + 1).orElse(pool.last() + 1)));
        Put.Builder put = Put.builder().tableName(table.value()).item(item);
        if (seen.isPresent()) {
            put.conditionExpression("#next = :seen")
                    .expressionAttributeNames(Map.of("#next", Keys.NEXT))
                    .expressionAttributeValues(Map.of(":seen", Keys.n(seen.get())));
        } else {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", Keys.PK));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }
}
