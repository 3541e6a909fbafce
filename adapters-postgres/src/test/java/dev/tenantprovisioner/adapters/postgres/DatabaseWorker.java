package dev.tenantprovisioner.adapters.postgres;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One provisioner process for {@link TwoProcessConvergenceTest}: its own adapter, several threads, every tenant of
 * the batch in its own shuffled order. Arguments: admin URL, admin password, {@code ensure} or {@code remove},
 * tenants, threads, seed.
 */
public final class DatabaseWorker {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String password = args[1];
        boolean ensure = args[2].equals("ensure");
        int tenants = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        Random random = new Random(Long.parseLong(args[5]));
        PostgresTenantDatabases databases = new PostgresTenantDatabases(new PostgresSettings(
                url,
                LocalPostgresServer.ADMIN,
                password,
                Admin.KEY,
                Optional.empty(),
                Optional.empty(),
                PostgresSettings.DEFAULT_CONNECTION_LIMIT,
                false));
        List<Integer> order = new ArrayList<>();
        for (int n = 1; n <= tenants; n++) {
            order.add(n);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> mine = new ArrayList<>(order);
            Collections.shuffle(mine, random);
            done.add(pool.submit(() -> {
                for (int n : mine) {
                    TenantId tenant = TenantId.of("race-" + n);
                    if (ensure) {
                        databases.ensure(tenant, 1);
                    } else {
                        databases.remove(tenant, 1);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();
        System.out.println("done");
    }
}
