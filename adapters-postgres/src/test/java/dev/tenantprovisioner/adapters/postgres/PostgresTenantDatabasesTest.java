package dev.tenantprovisioner.adapters.postgres;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.spi.TenantDatabasesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The TenantDatabases contract on a real PostgreSQL server started for this class. */
class PostgresTenantDatabasesTest extends TenantDatabasesContract {

    private static LocalPostgresServer server;
    private static Admin admin;
    private PostgresTenantDatabases databases;

    @BeforeAll
    static void startServer() {
        server = LocalPostgresServer.startTemporary();
        admin = new Admin(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void freshAdapter() {
        databases = new PostgresTenantDatabases(server.settings(Admin.KEY, false));
    }

    @AfterEach
    void dropEverything() {
        admin.dropAllTenants();
    }

    @Override
    protected TenantDatabases databases() {
        return databases;
    }

    @Override
    protected boolean exists(TenantId tenant) {
        String name = PostgresTenantDatabases.nameOf(tenant);
        return admin.databases().contains(name) && admin.loginRoles().contains(name);
    }
}
