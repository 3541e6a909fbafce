package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What each call costs in requests when nobody else is writing: constant, and at most three per allocation. */
@ExtendWith(MotoExtension.class)
class DynamoDbPortRegistryRequestsTest {

    private final RequestCounter counter = new RequestCounter();
    private final DynamoDbClient client;
    private final PortRegistry registry;

    DynamoDbPortRegistryRequestsTest(MotoServer moto) {
        this.client = moto.client(counter);
        this.registry =
                new DynamoDbPortRegistry(client, TestTables.fresh(client, "requests"), PortPool.range(3000, 3002));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void givenNewTenant_whenAllocating_thenOneQueryAndOneTransaction() {
        counter.reset();

        allocate(1);

        assertThat(counter.byOperation()).isEqualTo(Map.of("Query", 1L, "TransactWriteItems", 1L));
    }

    @Test
    void givenReleasedPort_whenNewTenantAllocates_thenStillOneQueryAndOneTransaction() {
        registry.release(allocate(1), "no capacity", false);
        counter.reset();

        allocate(2);

        assertThat(counter.byOperation()).isEqualTo(Map.of("Query", 1L, "TransactWriteItems", 1L));
    }

    @Test
    void givenLeasedTenant_whenAllocatingAgain_thenTwoRequestsAndNoWrite() {
        Lease lease = allocate(1);
        counter.reset();

        assertThat(allocate(1)).isEqualTo(lease);

        assertThat(counter.byOperation()).isEqualTo(Map.of("Query", 1L, "TransactWriteItems", 1L));
    }

    @Test
    void givenFailedTenant_whenAllocatingAgain_thenThreeRequests() {
        registry.release(allocate(1), "no capacity", false);
        counter.reset();

        assertThat(allocate(1).generation()).isEqualTo(2);

        assertThat(counter.byOperation()).isEqualTo(Map.of("Query", 1L, "TransactWriteItems", 2L));
    }

    @Test
    void givenExhaustedPool_whenAllocating_thenQueryAndGetOnly() {
        allocate(1);
        allocate(2);
        allocate(3);
        counter.reset();

        assertThat(registry.allocate(TenantId.of("tenant-4"), Email.of("owner4@example.com"), false))
                .isEmpty();

        assertThat(counter.byOperation()).isEqualTo(Map.of("Query", 1L, "GetItem", 1L));
    }

    private Lease allocate(int n) {
        return registry.allocate(TenantId.of("tenant-" + n), Email.of("owner" + n + "@example.com"), false)
                .orElseThrow();
    }
}
