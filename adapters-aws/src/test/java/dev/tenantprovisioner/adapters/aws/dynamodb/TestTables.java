package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A fresh table per test, so tests sharing one server never see each other's ports. */
final class TestTables {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestTables() {}

    static TableName fresh(DynamoDbClient client, String purpose) {
        TableName table = TableName.of(purpose + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        PortTable.createIfAbsent(client, table);
        return table;
    }
}
