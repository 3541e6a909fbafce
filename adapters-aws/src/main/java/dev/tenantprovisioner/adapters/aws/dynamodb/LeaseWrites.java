package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The conditional writes on leases and port owners that the registry's transactions are made of. */
final class LeaseWrites {

    private final TableName table;

    LeaseWrites(TableName table) {
        this.table = table;
    }

    /** Puts the lease if the stored one is at {@code expectedVersion}, or if there is none when that is empty. */
    TransactWriteItem putLease(Lease lease, Optional<Long> expectedVersion) {
        Put.Builder put = Put.builder()
                .tableName(table.value())
                .item(LeaseItems.toItem(lease))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (expectedVersion.isPresent()) {
            put.conditionExpression("#version = :version")
                    .expressionAttributeNames(Map.of("#version", LeaseItems.VERSION))
                    .expressionAttributeValues(Map.of(":version", Keys.n(expectedVersion.get())));
        } else {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", Keys.PK));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** Records the lease's tenant as the port's owner, if the port has none. */
    TransactWriteItem claimPort(Lease lease) {
        Map<String, AttributeValue> item =
                new HashMap<>(Keys.port(lease.requirePort().value()));
        item.put(Keys.OWNER, Keys.s(lease.tenant().value()));
        item.put(LeaseItems.GENERATION, Keys.n(lease.generation()));
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table.value())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build())
                .build();
    }

    /** Removes the port's owner item, if it still names {@code tenant}. */
    TransactWriteItem disown(int port, TenantId tenant) {
        return TransactWriteItem.builder()
                .delete(Delete.builder()
                        .tableName(table.value())
                        .key(Keys.port(port))
                        .conditionExpression("#owner = :tenant")
                        .expressionAttributeNames(Map.of("#owner", Keys.OWNER))
                        .expressionAttributeValues(Map.of(":tenant", Keys.s(tenant.value())))
                        .build())
                .build();
    }
}
