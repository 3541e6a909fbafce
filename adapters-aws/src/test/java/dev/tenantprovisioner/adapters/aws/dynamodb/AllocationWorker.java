package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One process's share of the concurrency test: several threads allocate tenants of their own and
 * tenants every thread of every process asks for, give half of their own back, and allocate as many
 * again, which races the other processes for the released ports. Prints {@code ALLOC tenant port} per
 * grant it saw and {@code RELEASED tenant} per port it gave back.
 */
public final class AllocationWorker {

    private AllocationWorker() {}

    /** {@code endpoint table first last label threads ownPerThread shared} */
    public static void main(String[] args) throws Exception {
        DynamoDbSettings settings =
                new DynamoDbSettings(TableName.of(args[1]), Region.US_EAST_1, Optional.of(URI.create(args[0])), 4);
        try (DynamoDbClient client = DynamoDbClients.create(
                settings, StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
            PortRegistry registry = new DynamoDbPortRegistry(
                    client, settings.table(), PortPool.range(Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            run(registry, args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]))
                    .forEach(System.out::println);
        }
        System.out.println("DONE");
    }

    static List<String> run(PortRegistry registry, String label, int threads, int own, int shared) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < Math.max(own, shared); i++) {
                        if (i < own) {
                            allocate(registry, "own-" + label + "-" + thread + "-" + i, events);
                        }
                        if (i < shared) {
                            allocate(registry, "shared-" + ((i + thread) % shared), events);
                        }
                    }
                    for (int i = 0; i < own; i += 2) {
                        TenantId tenant = TenantId.of("own-" + label + "-" + thread + "-" + i);
                        registry.release(registry.find(tenant).orElseThrow(), "given back by the test", false);
                        events.add("RELEASED " + tenant);
                    }
                    for (int i = 0; i < own; i += 2) {
                        allocate(registry, "again-" + label + "-" + thread + "-" + i, events);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return events;
    }

    private static void allocate(PortRegistry registry, String tenant, List<String> events) {
        Lease lease = registry.allocate(TenantId.of(tenant), Email.of(tenant + "@example.com"), false)
                .orElseThrow(() -> new IllegalStateException("pool exhausted for " + tenant));
        events.add("ALLOC " + tenant + " " + lease.requirePort().value());
    }
}
