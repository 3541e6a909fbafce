package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Tenant databases kept in memory, for offline use and tests: the same contract as the PostgreSQL adapter (one
 * database per tenant, a fresh password per generation, a later generation never removed by an older one's remove),
 * thread-safe.
 */
public final class InMemoryTenantDatabases implements TenantDatabases {

    /** One tenant's database: the generation it was last ensured for and that generation's password. */
    private record Entry(int generation, String password) {}

    private final String host;
    private final int port;
    private final SecureRandom random = new SecureRandom();
    private final Map<TenantId, Entry> databases = new HashMap<>();
    private int removed;

    public InMemoryTenantDatabases(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public InMemoryTenantDatabases() {
        this("127.0.0.1", 5432);
    }

    @Override
    public synchronized TenantDatabase ensure(TenantId tenant, int generation) {
        Entry entry = databases.get(tenant);
        if (entry == null || entry.generation() < generation) {
            entry = new Entry(generation, newPassword());
            databases.put(tenant, entry);
        }
        return database(tenant, entry);
    }

    @Override
    public synchronized TenantDatabase access(TenantId tenant, int generation) {
        Entry entry = databases.get(tenant);
        if (entry == null || entry.generation() != generation) {
            throw new IllegalStateException("no database of " + tenant + " for generation " + generation);
        }
        return database(tenant, entry);
    }

    @Override
    public synchronized void remove(TenantId tenant, int generation) {
        Entry entry = databases.get(tenant);
        if (entry != null && entry.generation() <= generation) {
            databases.remove(tenant);
            removed++;
        }
    }

    /** Whether the tenant has a database now. */
    public synchronized boolean exists(TenantId tenant) {
        return databases.containsKey(tenant);
    }

    /** The generation the tenant's database was last ensured for. */
    public synchronized Optional<Integer> generationOf(TenantId tenant) {
        return Optional.ofNullable(databases.get(tenant)).map(Entry::generation);
    }

    /** How many databases were removed, in all. */
    public synchronized int removedCount() {
        return removed;
    }

    private TenantDatabase database(TenantId tenant, Entry entry) {
        String name = "tenant_" + tenant.value().replace('-', '_');
        return new TenantDatabase(host, port, name, name, entry.password());
    }

    private String newPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
