package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The provision slots: the {@code SLOT} partition, one item per slot taken, sorted by slot. Taking one is a consistent
 * Query of the partition and a conditional put on a free slot (missing, or its holder's time passed), so two callers
 * that saw the same slot free cannot both take it; releasing is a delete on the condition that the same taking still
 * holds it. Each item carries {@code expiresAt}, the table's time to live, so a slot left by a caller that died is
 * deleted by DynamoDB in time, and is free to take as soon as its time has passed.
 */
final class SlotItems {

    private static final String TENANT = "tenant";
    private static final String HOLDER = "holder";
    private static final String UNTIL = "until";

    private final DynamoDbClient client;
    private final TableName table;
    private final Requests requests;
    private final Clock clock;

    SlotItems(DynamoDbClient client, TableName table, Requests requests, Clock clock) {
        this.client = client;
        this.table = table;
        this.requests = requests;
        this.clock = clock;
    }

    Optional<ProvisionSlot> take(TenantId tenant, int max, Duration hold) {
        // Each lost race means another caller took a slot; as many rounds as slots, then a few for slots freed
        // meanwhile.
        for (int attempt = 0; attempt < max + 3; attempt++) {
            Instant now = clock.instant();
            Optional<Integer> free = firstFree(max, now);
            if (free.isEmpty()) {
                return Optional.empty();
            }
            ProvisionSlot slot =
                    new ProvisionSlot(free.get(), tenant, UUID.randomUUID().toString(), now.plus(hold));
            Map<String, AttributeValue> item = new HashMap<>(Keys.slot(slot.index()));
            item.put(TENANT, Keys.s(tenant.value()));
            item.put(HOLDER, Keys.s(slot.holder()));
            item.put(UNTIL, Keys.n(slot.until().toEpochMilli()));
            item.put(PortTable.EXPIRY_ATTRIBUTE, Keys.n(slot.until().getEpochSecond() + 1));
            try {
                requests.send(
                        "PutItem",
                        Keys.slot(slot.index()),
                        () -> client.putItem(r -> r.tableName(table.value())
                                .item(item)
                                .conditionExpression("attribute_not_exists(#pk) OR #until < :now")
                                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#until", UNTIL))
                                .expressionAttributeValues(Map.of(":now", Keys.n(now.toEpochMilli())))));
                return Optional.of(slot);
            } catch (ConditionalCheckFailedException takenMeanwhile) {
                // Look again.
            }
        }
        return Optional.empty();
    }

    void release(ProvisionSlot slot) {
        try {
            requests.send(
                    "DeleteItem",
                    Keys.slot(slot.index()),
                    () -> client.deleteItem(r -> r.tableName(table.value())
                            .key(Keys.slot(slot.index()))
                            .conditionExpression("#holder = :holder")
                            .expressionAttributeNames(Map.of("#holder", HOLDER))
                            .expressionAttributeValues(Map.of(":holder", Keys.s(slot.holder())))));
        } catch (ConditionalCheckFailedException takenAnew) {
            // Its time passed and someone took it since: theirs now.
        }
    }

    /** The lowest slot below {@code max} that nobody holds at {@code now}. */
    private Optional<Integer> firstFree(int max, Instant now) {
        List<Map<String, AttributeValue>> items = requests.send(
                        "Query",
                        Keys.slot(0),
                        () -> client.query(QueryRequest.builder()
                                .tableName(table.value())
                                .keyConditionExpression("#pk = :slot AND #sk < :max")
                                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                                .expressionAttributeValues(Map.of(":slot", Keys.s(Keys.SLOT), ":max", Keys.n(max)))
                                .consistentRead(true)
                                .build()))
                .items();
        Map<Integer, Long> held = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            held.put(
                    Integer.parseInt(item.get(Keys.SK).n()),
                    Long.parseLong(item.get(UNTIL).n()));
        }
        for (int index = 0; index < max; index++) {
            Long until = held.get(index);
            if (until == null || until < now.toEpochMilli()) {
                return Optional.of(index);
            }
        }
        return Optional.empty();
    }
}
