package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The one table the registry uses: partition key {@code pk} (S), sort key {@code sk} (N), on-demand
 * billing, and two global secondary indexes over the leases. Deployment templates declare exactly this.
 * <ul>
 *   <li>{@link #BY_CREATED}: every lease under one key ({@code lk = "LEASE"}), sorted by {@code lc} (its creation
 *       time, fixed width, then its tenant): listings newest first, page by page, whatever the table's size.
 *   <li>{@link #ATTENTION}: sparse; only leases that need attention carry {@code ak = "ATTENTION"}, sorted by
 *       {@code au} (last write, then tenant): the sweep reads those and nothing else.
 * </ul>
 * One partition key per index keeps a single order across all leases; at provisioning rates (far below the 1,000
 * writes per second a partition takes) that is no hot spot.
 */
public final class PortTable {

    public static final String BY_CREATED = "byCreated";
    public static final String ATTENTION = "attention";
    static final String LIST_KEY = "lk";
    static final String LIST_ORDER = "lc";
    static final String ATTENTION_KEY = "ak";
    static final String ATTENTION_ORDER = "au";

    /**
     * The table's time-to-live attribute (epoch seconds): applied billing events, provision slots and tombstones with a
     * time to live carry it; never a lease that holds a port, a port or the pool, so the expiry deletes nothing the
     * registry needs.
     */
    public static final String EXPIRY_ATTRIBUTE = "expiresAt";

    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

    private PortTable() {}

    public static CreateTableRequest definition(TableName table) {
        return CreateTableRequest.builder()
                .tableName(table.value())
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName(Keys.PK)
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName(Keys.SK)
                                .attributeType(ScalarAttributeType.N)
                                .build(),
                        string(LIST_KEY),
                        string(LIST_ORDER),
                        string(ATTENTION_KEY),
                        string(ATTENTION_ORDER))
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName(Keys.PK)
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName(Keys.SK)
                                .keyType(KeyType.RANGE)
                                .build())
                .globalSecondaryIndexes(
                        index(BY_CREATED, LIST_KEY, LIST_ORDER), index(ATTENTION, ATTENTION_KEY, ATTENTION_ORDER))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName(hash)
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName(range)
                                .keyType(KeyType.RANGE)
                                .build())
                .projection(
                        Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    /**
     * Creates the table unless it exists, and waits until it is active; a table created here starts with its count of
     * tenants holding a port at zero (one found existing is counted by its first port move, if it has no count).
     */
    public static void createIfAbsent(DynamoDbClient client, TableName table) {
        boolean created = false;
        try {
            client.createTable(definition(table));
            created = true;
        } catch (ResourceInUseException exists) {
            // Someone created it first; waiting for it to be active is all that is left.
        } catch (SdkException e) {
            throw new InfrastructureException(
                    "DynamoDB CreateTable of " + table + " failed: " + e.getMessage(), false, e);
        }
        awaitActive(client, table);
        if (created) {
            try {
                client.putItem(r -> r.tableName(table.value())
                        .item(ActiveCount.empty())
                        .conditionExpression("attribute_not_exists(pk)"));
            } catch (SdkException countedAlready) {
                // Someone wrote it first, or a port moved already and the count was seeded: either is right.
            }
        }
        try {
            client.updateTimeToLive(r -> r.tableName(table.value())
                    .timeToLiveSpecification(
                            t -> t.attributeName(EXPIRY_ATTRIBUTE).enabled(true)));
        } catch (SdkException e) {
            // Enabled already (a table created earlier), or a local server without time to live: expired billing events
            // are then only ignored on read, never deleted.
        }
    }

    private static void awaitActive(DynamoDbClient client, TableName table) {
        Instant deadline = Instant.now().plus(ACTIVE_TIMEOUT);
        while (true) {
            TableStatus status = client.describeTable(r -> r.tableName(table.value()))
                    .table()
                    .tableStatus();
            if (status == TableStatus.ACTIVE) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new InfrastructureException(
                        "DynamoDB table " + table + " is still " + status + " after " + ACTIVE_TIMEOUT.toSeconds()
                                + " s",
                        true);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfrastructureException("interrupted while waiting for table " + table, true, e);
            }
        }
    }
}
