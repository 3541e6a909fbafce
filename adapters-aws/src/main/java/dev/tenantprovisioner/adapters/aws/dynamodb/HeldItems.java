package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.HeldPort;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The held-back ports ({@code HELD} partition, sorted by port): the writes that hold and free one, and the mapping. */
final class HeldItems {

    private static final String TENANT = "tenant";
    private static final String TASK = "task";
    private static final String SINCE = "since";

    private final TableName table;

    HeldItems(TableName table) {
        this.table = table;
    }

    /** Holds the lease's port back, with its task if it has one; the port must not be held already. */
    TransactWriteItem hold(Lease lease, Instant now) {
        int port = lease.requirePort().value();
        Map<String, AttributeValue> item = new HashMap<>(Keys.held(port));
        item.put(TENANT, Keys.s(lease.tenant().value()));
        lease.task().ifPresent(task -> item.put(TASK, Keys.s(task.value())));
        item.put(SINCE, Keys.s(now.toString()));
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table.value())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK))
                        .build())
                .build();
    }

    /** Removes the held item if it is held for {@code task} (or without a task, when that is empty). */
    TransactWriteItem release(HostPort port, Optional<TaskId> task) {
        Delete.Builder delete = Delete.builder().tableName(table.value()).key(Keys.held(port.value()));
        if (task.isPresent()) {
            delete.conditionExpression("#task = :task")
                    .expressionAttributeNames(Map.of("#task", TASK))
                    .expressionAttributeValues(Map.of(":task", Keys.s(task.get().value())));
        } else {
            delete.conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#task)")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK, "#task", TASK));
        }
        return TransactWriteItem.builder().delete(delete.build()).build();
    }

    static HeldPort fromItem(Map<String, AttributeValue> item) {
        return new HeldPort(
                HostPort.of(Integer.parseInt(item.get(Keys.SK).n())),
                TenantId.of(item.get(TENANT).s()),
                Optional.ofNullable(item.get(TASK)).map(AttributeValue::s).map(TaskId::of),
                Instant.parse(item.get(SINCE).s()));
    }
}
