package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.net.URI;
import java.time.Duration;
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
 * One process's share of the limits race: several threads each grant tenants of their own under the same limit of
 * tenants holding a port, then take provision slots (and keep them) under the same limit of slots. Prints
 * {@code GRANTED tenant}, {@code REFUSED tenant}, {@code SLOT tenant index} and {@code NO_SLOT tenant} per answer.
 */
public final class LimitWorker {

    private LimitWorker() {}

    /** {@code endpoint table label threads perThread maxActive maxSlots startAtEpochMillis} */
    public static void main(String[] args) throws Exception {
        DynamoDbSettings settings =
                new DynamoDbSettings(TableName.of(args[1]), Region.US_EAST_1, Optional.of(URI.create(args[0])), 4);
        try (DynamoDbClient client = DynamoDbClients.create(
                settings, StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
            PortRegistry registry = new DynamoDbPortRegistry(client, settings.table(), POOL);
            run(
                            registry,
                            args[2],
                            Integer.parseInt(args[3]),
                            Integer.parseInt(args[4]),
                            Integer.parseInt(args[5]),
                            Integer.parseInt(args[6]),
                            Long.parseLong(args[7]))
                    .forEach(System.out::println);
        }
        System.out.println("DONE");
    }

    static final PortPool POOL = PortPool.range(3000, 3999);

    /** Both processes start at {@code startAt}, so their requests interleave instead of one finishing first. */
    static List<String> run(
            PortRegistry registry, String label, int threads, int perThread, int maxActive, int maxSlots, long startAt)
            throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                    for (int i = 0; i < perThread; i++) {
                        TenantId tenant = TenantId.of("limit-" + label + "-" + thread + "-" + i);
                        Grant grant =
                                registry.grant(tenant, Email.of(tenant.value() + "@example.com"), false, maxActive);
                        events.add((grant instanceof Grant.Granted ? "GRANTED " : "REFUSED ") + tenant.value());
                    }
                    for (int i = 0; i < perThread; i++) {
                        TenantId tenant = TenantId.of("slot-" + label + "-" + thread + "-" + i);
                        events.add(registry.takeSlot(tenant, maxSlots, Duration.ofMinutes(10))
                                .map(slot -> "SLOT " + tenant.value() + " " + slot.index())
                                .orElse("NO_SLOT " + tenant.value()));
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
}
