package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbClients;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbSettings;
import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.adapters.aws.dynamodb.PortTable;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.domain.model.PortPool;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A port registry on a fresh table of a moto server, for the ECS tests that need a registry beside the runtime. */
final class MotoTables {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private MotoTables() {}

    static DynamoDbPortRegistry registry(MotoServer moto, PortPool pool, Clock clock) {
        TableName table = TableName.of("reconcile-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        DynamoDbClient client = DynamoDbClients.create(
                new DynamoDbSettings(table, Region.US_EAST_1, Optional.of(moto.endpoint()), 4),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        PortTable.createIfAbsent(client, table);
        return new DynamoDbPortRegistry(client, table, pool, clock);
    }
}
