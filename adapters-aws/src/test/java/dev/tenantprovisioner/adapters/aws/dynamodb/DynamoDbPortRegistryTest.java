package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.PortRegistryContract;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(MotoExtension.class)
class DynamoDbPortRegistryTest extends PortRegistryContract {

    private final DynamoDbClient client;

    DynamoDbPortRegistryTest(MotoServer moto) {
        this.client = moto.client();
    }

    @Override
    protected PortRegistry newRegistry(PortPool pool) {
        return new DynamoDbPortRegistry(client, TestTables.fresh(client, "contract"), pool);
    }
}
