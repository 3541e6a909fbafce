package dev.tenantprovisioner.adapters.postgres;

import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the database step adds to a provision, on a local PostgreSQL server (bench/tenant-database.sh): the adapter's
 * calls one by one, then whole provisions with in-memory registry and runtime, with and without databases, so the
 * difference is the database step alone. Wall-clock medians and 90th percentiles, after a warm-up.
 */
public final class TenantDatabaseBench {

    public static void main(String[] args) {
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        try (LocalPostgresServer server = LocalPostgresServer.startTemporary()) {
            PostgresTenantDatabases databases = new PostgresTenantDatabases(server.settings(Admin.KEY, false));
            // Warm-up: class loading, the driver, the server's first CREATE DATABASE.
            for (int i = 0; i < 10; i++) {
                databases.ensure(TenantId.of("warm-" + i), 1);
                databases.remove(TenantId.of("warm-" + i), 1);
            }
            List<Long> first = new ArrayList<>();
            List<Long> repeat = new ArrayList<>();
            List<Long> removal = new ArrayList<>();
            for (int i = 0; i < tenants; i++) {
                TenantId tenant = TenantId.of("bench-" + i);
                first.add(time(() -> databases.ensure(tenant, 1)));
                repeat.add(time(() -> databases.ensure(tenant, 1)));
            }
            for (int i = 0; i < tenants; i++) {
                TenantId tenant = TenantId.of("bench-" + i);
                removal.add(time(() -> databases.remove(tenant, 1)));
            }
            report("ensure, new tenant (role, password, CREATE DATABASE)", first);
            report("ensure, repeat (nothing to do)", repeat);
            report("remove (DROP DATABASE, DROP ROLE)", removal);

            // A new tenant's database handed over from the spares (as the local runner does), the spares made again
            // between tenants, off the clock, as the runner does in the background a second later.
            PostgresTenantDatabases spares =
                    PostgresTenantDatabases.withSpareDatabases(server.settings(Admin.KEY, false), 1);
            List<Long> fromSpare = new ArrayList<>();
            for (int i = 0; i < tenants; i++) {
                spares.fillSpares();
                TenantId tenant = TenantId.of("spare-" + i);
                fromSpare.add(time(() -> spares.ensure(tenant, 1)));
            }
            report("ensure, new tenant, database from a spare (role, password, rename)", fromSpare);
            Admin admin = new Admin(server);
            for (String strategy : new String[] {"WAL_LOG", "FILE_COPY"}) {
                List<Long> creates = new ArrayList<>();
                for (int i = 0; i < tenants; i++) {
                    String name = "strategy_" + strategy.toLowerCase(java.util.Locale.ROOT) + "_" + i;
                    creates.add(time(() -> admin.execute("CREATE DATABASE " + name + " STRATEGY = " + strategy)));
                    admin.execute("DROP DATABASE " + name);
                }
                report("CREATE DATABASE ... STRATEGY = " + strategy + " (admin connection included)", creates);
            }

            List<Long> without = provisions(tenants, null);
            List<Long> with = provisions(tenants, databases);
            report("provision, in-memory registry and runtime, no database", without);
            report("provision, in-memory registry and runtime, with its database", with);
            System.out.printf(
                    "database step adds (median): %.1f ms to a provision%n",
                    (percentile(with, 50) - percentile(without, 50)) / 1e6);
        }
    }

    private static List<Long> provisions(int tenants, PostgresTenantDatabases databases) {
        InMemoryPortRegistry registry = new InMemoryPortRegistry(PortPool.range(3000, 3000 + 2 * tenants + 20));
        InMemoryContainerRuntime runtime = new InMemoryContainerRuntime();
        ProvisionTenant provision = databases == null
                ? new ProvisionTenant(
                        registry, runtime, new RecordingMailer(), ProvisioningPolicy.defaults(), Clock.systemUTC())
                : new ProvisionTenant(
                        registry,
                        runtime,
                        new RecordingMailer(),
                        ProvisioningPolicy.defaults(),
                        Clock.systemUTC(),
                        databases);
        String kind = databases == null ? "plain-" : "db-";
        for (int i = 0; i < 10; i++) {
            int n = i;
            provision.provision(
                    ProvisionCommand.of(TenantId.of(kind + "warm-" + n), Email.of("w" + n + "@example.com")));
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            int n = i;
            times.add(time(() -> provision.provision(
                    ProvisionCommand.of(TenantId.of(kind + n), Email.of("t" + n + "@example.com")))));
        }
        return times;
    }

    private static long time(Runnable step) {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    private static void report(String what, List<Long> nanos) {
        System.out.printf(
                "%-66s median %6.1f ms   p90 %6.1f ms   (n=%d)%n",
                what, percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6, nanos.size());
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
