package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The one table the registry uses: partition key {@code pk} (S), sort key {@code sk} (N), on-demand
 * billing, no indexes. Deployment templates declare exactly this.
 */
public final class PortTable {

    /**
     * The table's time-to-live attribute (epoch seconds): only applied billing events carry it, never a lease, a port
     * or the pool, so the expiry deletes nothing the registry needs.
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
                                .build())
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName(Keys.PK)
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName(Keys.SK)
                                .keyType(KeyType.RANGE)
                                .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    /** Creates the table unless it exists, and waits until it is active. */
    public static void createIfAbsent(DynamoDbClient client, TableName table) {
        try {
            client.createTable(definition(table));
        } catch (ResourceInUseException exists) {
            // Someone created it first; waiting for it to be active is all that is left.
        } catch (SdkException e) {
            throw new InfrastructureException(
                    "DynamoDB CreateTable of " + table + " failed: " + e.getMessage(), false, e);
        }
        awaitActive(client, table);
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
