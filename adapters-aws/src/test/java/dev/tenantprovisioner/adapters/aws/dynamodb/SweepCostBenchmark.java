package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What a sweep round reads at growing numbers of finished tenants: the requests and leases of walking the attention
 * index (what the sweep does), against walking every lease with a Scan (what it did before), and the requests of the
 * first page of {@code GET /tenants}. Seeds each table with finished leases (running, email sent) and a fixed number
 * of leases needing attention. Arguments: {@code endpoint [needingAttention] [sizes...]}.
 */
public final class SweepCostBenchmark {

    private SweepCostBenchmark() {}

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        int stalled = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000);
        }
        RequestCounter counter = new RequestCounter();
        DynamoDbSettings settings =
                new DynamoDbSettings(TableName.defaultName(), Region.US_EAST_1, Optional.of(endpoint), 4);
        try (DynamoDbClient client = DynamoDbClients.create(
                settings, StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")), counter)) {
            System.out.println("| finished leases | needing attention | sweep (attention index): requests | leases read"
                    + " | full scan: requests | leases read | GET /tenants first page: requests |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : sizes) {
                TableName table = TableName.of("sweep-" + size + "-" + System.nanoTime());
                PortTable.createIfAbsent(client, table);
                seed(client, table, size, stalled);
                DynamoDbPortRegistry registry = new DynamoDbPortRegistry(client, table, PortPool.range(1, 65535));

                counter.reset();
                int attention = 0;
                Optional<String> cursor = Optional.empty();
                do {
                    LeasePage page = registry.needingAttention(100, cursor);
                    attention += page.leases().size();
                    cursor = page.next();
                } while (cursor.isPresent());
                long attentionRequests = counter.total();

                counter.reset();
                int scanned = registry.list(Integer.MAX_VALUE).size();
                long scanRequests = counter.total();

                counter.reset();
                registry.page(LeaseQuery.first(100));
                long pageRequests = counter.total();

                System.out.printf(
                        "| %,d | %d | %d | %d | %d | %,d | %d |%n",
                        size, stalled, attentionRequests, attention, scanRequests, scanned, pageRequests);
            }
        }
    }

    /** Finished tenants and stalled ones (allocated long ago, never started), written 25 to a request. */
    private static void seed(DynamoDbClient client, TableName table, int finished, int stalled) {
        Instant long_ago = Instant.parse("2026-01-01T00:00:00Z");
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < finished + stalled; i++) {
            boolean done = i < finished;
            Lease lease = Lease.granted(
                    TenantId.of((done ? "done-" : "stalled-") + i),
                    Email.of("t" + i + "@example.com"),
                    HostPort.of(1 + (i % 65535)),
                    Optional.empty(),
                    long_ago.plusSeconds(i));
            if (done) {
                lease = lease.started(TaskId.of("task-" + i), long_ago)
                        .withState(TenantState.RUNNING)
                        .withNotification(NotificationState.SENT, Optional.empty())
                        .stored(long_ago.plusSeconds(i));
            }
            batch.add(WriteRequest.builder()
                    .putRequest(
                            PutRequest.builder().item(LeaseItems.toItem(lease)).build())
                    .build());
            if (batch.size() == 25) {
                write(client, table, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            write(client, table, batch);
        }
    }

    private static void write(DynamoDbClient client, TableName table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table.value(), batch);
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = pending;
            pending = client.batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
        }
    }
}
