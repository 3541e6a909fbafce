package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.PortRegistryContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(MotoExtension.class)
class DynamoDbPortRegistryTest extends PortRegistryContract {

    private final DynamoDbClient client;

    DynamoDbPortRegistryTest(MotoServer moto) {
        this.client = moto.client();
    }

    @Override
    protected PortRegistry newRegistry(PortPool pool, java.time.Clock clock) {
        return new DynamoDbPortRegistry(client, TestTables.fresh(client, "contract"), pool, clock);
    }

    @Test
    void givenADamagedLeaseItem_whenListing_thenItIsSkippedAndEveryOtherLeaseListed() {
        TableName table = TestTables.fresh(client, "damaged");
        PortRegistry registry = new DynamoDbPortRegistry(client, table, PortPool.range(3000, 3009));
        registry.allocate(TenantId.of("a"), Email.of("a@example.com"), false);
        registry.allocate(TenantId.of("b"), Email.of("b@example.com"), false);
        Map<String, AttributeValue> damaged = new HashMap<>(Keys.tenant(TenantId.of("damaged")));
        damaged.put("tenant", AttributeValue.fromS("damaged"));
        damaged.put("state", AttributeValue.fromS("NOT_A_STATE"));
        client.putItem(r -> r.tableName(table.value()).item(damaged));

        List<Lease> listed = registry.list(10);

        assertThat(listed).extracting(lease -> lease.tenant().value()).containsExactlyInAnyOrder("a", "b");
        assertThat(registry.list(1))
                .as("the limit counts leases read, not items seen")
                .hasSize(1);
    }
}
