package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.SubscriptionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Billing records in the port table (see {@link Keys}): one item per subscription, one per applied event. An applied
 * event's item carries {@code expiresAt} (epoch seconds), the table's time-to-live attribute, so DynamoDB deletes it
 * after its time; DynamoDB may take days to (DynamoDB developer guide, "Time to Live"), so a read also checks the time
 * itself.
 */
public final class DynamoDbBillingRecords implements BillingRecords {

    /** The table's time-to-live attribute (the template enables it): epoch seconds. */
    public static final String EXPIRES_AT = PortTable.EXPIRY_ATTRIBUTE;

    private final DynamoDbClient client;
    private final TableName table;
    private final Requests requests;
    private final Clock clock;

    public DynamoDbBillingRecords(DynamoDbClient client, TableName table, Clock clock) {
        this.client = client;
        this.table = table;
        this.requests = new Requests(table);
        this.clock = clock;
    }

    @Override
    public Optional<SubscriptionRecord> subscription(String subscriptionId) {
        Map<String, AttributeValue> item = get(Keys.subscription(subscriptionId));
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SubscriptionRecord(
                subscriptionId,
                Optional.ofNullable(item.get("tenant")).map(v -> TenantId.of(v.s())),
                Optional.ofNullable(item.get("cancelledAt")).map(v -> Instant.parse(v.s()))));
    }

    @Override
    public void save(SubscriptionRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.subscription(record.subscription()));
        record.tenant().ifPresent(tenant -> item.put("tenant", Keys.s(tenant.value())));
        record.cancelledAt().ifPresent(at -> item.put("cancelledAt", Keys.s(at.toString())));
        requests.send(
                "PutItem",
                Keys.subscription(record.subscription()),
                () -> client.putItem(r -> r.tableName(table.value()).item(item)));
    }

    @Override
    public boolean processed(String eventId) {
        Map<String, AttributeValue> item = get(Keys.event(eventId));
        return item != null
                && item.containsKey(EXPIRES_AT)
                && Long.parseLong(item.get(EXPIRES_AT).n()) > clock.instant().getEpochSecond();
    }

    @Override
    public void markProcessed(String eventId, Instant forgetAt) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.event(eventId));
        item.put(EXPIRES_AT, Keys.n(forgetAt.getEpochSecond()));
        requests.send(
                "PutItem",
                Keys.event(eventId),
                () -> client.putItem(r -> r.tableName(table.value()).item(item)));
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        return requests.send(
                        "GetItem",
                        key,
                        () -> client.getItem(
                                r -> r.tableName(table.value()).key(key).consistentRead(true)))
                .item();
    }
}
