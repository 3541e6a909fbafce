package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.spi.TenantDatabasesContract;

class InMemoryTenantDatabasesTest extends TenantDatabasesContract {

    private final InMemoryTenantDatabases databases = new InMemoryTenantDatabases();

    @Override
    protected TenantDatabases databases() {
        return databases;
    }

    @Override
    protected boolean exists(TenantId tenant) {
        return databases.exists(tenant);
    }
}
