package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Requests per allocation and allocation throughput at growing numbers of existing tenants, against
 * single PutItem throughput on the same server in the same run. Seeds each table directly (lease, port
 * owner and, for every tenth tenant, a released port), as the registry would have left it.
 * Arguments: {@code endpoint [allocationsPerSize] [sizes...]}.
 */
public final class AllocationBenchmark {

    private static final PortPool POOL = PortPool.defaults();

    private AllocationBenchmark() {}

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        int allocations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10, 1_000, 10_000);
        }
        RequestCounter counter = new RequestCounter();
        DynamoDbSettings settings =
                new DynamoDbSettings(TableName.defaultName(), Region.US_EAST_1, Optional.of(endpoint), 4);
        try (DynamoDbClient client = DynamoDbClients.create(
                settings, StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")), counter)) {
            System.out.println("| existing tenants | allocations | requests/allocation | of which | allocations/s"
                    + " | PutItem/s | allocation/PutItem | 3-item TransactWriteItems/s |");
            System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|");
            warmUp(client, counter);
            for (int size : sizes) {
                TableName table = TableName.of("bench-" + size + "-" + System.nanoTime());
                PortTable.createIfAbsent(client, table);
                seed(client, table, size);
                DynamoDbPortRegistry registry = new DynamoDbPortRegistry(client, table, POOL);

                counter.reset();
                long start = System.nanoTime();
                for (int i = 0; i < allocations; i++) {
                    registry.allocate(TenantId.of("new-" + i), Email.of("new" + i + "@example.com"), false)
                            .orElseThrow();
                }
                double allocationSeconds = (System.nanoTime() - start) / 1e9;
                double requestsPerAllocation = (double) counter.total() / allocations;
                Map<String, Long> operations = counter.byOperation();

                start = System.nanoTime();
                for (int i = 0; i < allocations; i++) {
                    Lease lease = Lease.granted(
                            TenantId.of("put-" + i),
                            Email.of("put" + i + "@example.com"),
                            HostPort.of(POOL.lowest()),
                            Optional.empty(),
                            Instant.now());
                    client.putItem(r -> r.tableName(table.value()).item(LeaseItems.toItem(lease)));
                }
                double putSeconds = (System.nanoTime() - start) / 1e9;

                start = System.nanoTime();
                for (int i = 0; i < allocations; i++) {
                    int n = i;
                    client.transactWriteItems(r -> r.transactItems(List.of(
                            plainPut(table, Keys.key("tx-a-" + n, 0)),
                            plainPut(table, Keys.key("tx-b-" + n, 0)),
                            plainPut(table, Keys.key("tx-c-" + n, 0)))));
                }
                double transactionSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "| %,d | %d | %.2f | %s | %.1f | %.1f | %.3f | %.1f |%n",
                        size,
                        allocations,
                        requestsPerAllocation,
                        operations,
                        allocations / allocationSeconds,
                        allocations / putSeconds,
                        putSeconds / allocationSeconds,
                        allocations / transactionSeconds);
            }
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.TransactWriteItem plainPut(
            TableName table, Map<String, AttributeValue> key) {
        return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                .put(p -> p.tableName(table.value()).item(key))
                .build();
    }

    /** Class loading and the first connections would otherwise be charged to the first size. */
    private static void warmUp(DynamoDbClient client, RequestCounter counter) {
        TableName table = TableName.of("bench-warmup-" + System.nanoTime());
        PortTable.createIfAbsent(client, table);
        DynamoDbPortRegistry registry = new DynamoDbPortRegistry(client, table, POOL);
        for (int i = 0; i < 50; i++) {
            registry.allocate(TenantId.of("warm-" + i), Email.of("warm" + i + "@example.com"), false)
                    .orElseThrow();
        }
        counter.reset();
    }

    private static void seed(DynamoDbClient client, TableName table, int tenants) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int port = POOL.lowest();
        Instant now = Instant.now();
        for (int i = 0; i < tenants; i++) {
            TenantId tenant = TenantId.of("seed-" + i);
            Lease lease = Lease.granted(
                    tenant, Email.of("seed" + i + "@example.com"), HostPort.of(port), Optional.empty(), now);
            if (i % 10 == 9) {
                items.add(LeaseItems.toItem(lease.released(
                        dev.tenantprovisioner.domain.model.TenantState.FAILED, Optional.of("seeded as released"))));
                items.add(Keys.released(port));
            } else {
                items.add(LeaseItems.toItem(lease));
                Map<String, AttributeValue> owner = new HashMap<>(Keys.port(port));
                owner.put(Keys.OWNER, Keys.s(tenant.value()));
                owner.put(LeaseItems.GENERATION, Keys.n(1));
                items.add(owner);
            }
            port = POOL.nextFrom(port + 1).orElseThrow();
        }
        Map<String, AttributeValue> mark = new HashMap<>(Keys.highWater());
        mark.put(Keys.NEXT, Keys.n(port));
        items.add(mark);
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(from + 25, items.size())).stream()
                    .map(item -> WriteRequest.builder()
                            .putRequest(PutRequest.builder().item(item).build())
                            .build())
                    .toList();
            Map<String, List<WriteRequest>> pending = Map.of(table.value(), batch);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                Map<String, List<WriteRequest>> left =
                        client.batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
                pending = left == null ? Map.of() : left;
            }
        }
    }
}
