package dev.tenantprovisioner.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a tenant's role can and cannot do on the shared server, tried with the role's own credentials: its own
 * database only, no other tenant's, none of the server's, no new databases or roles, no more connections than its
 * limit. And what the server saw of the passwords: nothing, even with every statement logged.
 */
class TenantIsolationTest {

    private static final TenantId A = TenantId.of("alice-co");
    private static final TenantId B = TenantId.of("bob-co");
    private static final int LIMIT = 3;

    private static LocalPostgresServer server;
    private static Admin admin;

    @BeforeAll
    static void startServer() {
        server = LocalPostgresServer.startTemporary("-c log_statement=all");
        admin = new Admin(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void dropEverything() {
        admin.dropAllTenants();
    }

    private static PostgresTenantDatabases adapter(boolean retain) {
        PostgresSettings base = server.settings(Admin.KEY, retain);
        return new PostgresTenantDatabases(new PostgresSettings(
                base.adminUrl(),
                base.adminUser(),
                base.adminPassword(),
                base.passwordKey(),
                Optional.empty(),
                Optional.empty(),
                LIMIT,
                retain));
    }

    private static Connection as(TenantDatabase credentials, String database) throws SQLException {
        return DriverManager.getConnection(server.urlOf(database), credentials.user(), credentials.password());
    }

    private static SQLException refused(TenantDatabase credentials, String database) {
        return catchThrowableOfType(
                SQLException.class, () -> as(credentials, database).close());
    }

    @Test
    void givenTwoTenants_whenEachConnects_thenOnlyItsOwnDatabaseLetsItInAndItMayBuildThere() throws Exception {
        PostgresTenantDatabases databases = adapter(false);
        TenantDatabase a = databases.ensure(A, 1);
        TenantDatabase b = databases.ensure(B, 1);

        try (Connection own = as(a, a.name());
                Statement sql = own.createStatement()) {
            sql.execute("CREATE TABLE notes (body text)");
            sql.execute("INSERT INTO notes VALUES ('alice only')");
            sql.execute("CREATE SCHEMA app");
            sql.execute("CREATE TEMPORARY TABLE scratch (n int)");
        }

        assertThat(refused(a, b.name()).getSQLState())
                .as("another tenant's database")
                .isEqualTo("42501");
        assertThat(refused(b, a.name()).getSQLState()).as("the other way round").isEqualTo("42501");
        assertThat(refused(a, "postgres").getSQLState())
                .as("the server's own database")
                .isEqualTo("42501");
        assertThat(refused(a, "template1").getSQLState())
                .as("the template database")
                .isEqualTo("42501");
    }

    @Test
    void givenATenantsRole_whenItTriesToReachBeyondItsDatabase_thenEveryAttemptIsRefused() throws Exception {
        TenantDatabase a = adapter(false).ensure(A, 1);
        adapter(false).ensure(B, 1);

        try (Connection own = as(a, a.name());
                Statement sql = own.createStatement()) {
            assertThat(catchThrowableOfType(SQLException.class, () -> sql.execute("CREATE DATABASE sneaky"))
                            .getSQLState())
                    .isEqualTo("42501");
            assertThat(catchThrowableOfType(SQLException.class, () -> sql.execute("CREATE ROLE sneaky LOGIN"))
                            .getSQLState())
                    .isEqualTo("42501");
            assertThat(catchThrowableOfType(
                                    SQLException.class,
                                    () -> sql.execute("GRANT " + PostgresTenantDatabases.nameOf(B) + " TO " + a.user()))
                            .getSQLState())
                    .as("joining another tenant's role")
                    .isEqualTo("42501");
        }
    }

    @Test
    void givenATenantAtItsConnectionLimit_whenItOpensOneMore_thenTheServerRefusesIt() throws Exception {
        TenantDatabase a = adapter(false).ensure(A, 1);
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                open.add(as(a, a.name()));
            }

            assertThat(refused(a, a.name()).getSQLState()).isEqualTo("53300");
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
    }

    @Test
    void givenEveryStatementLogged_whenTenantsAreEnsuredAndRenewed_thenNoPasswordReachesTheServersLog() {
        PostgresTenantDatabases databases = adapter(false);

        TenantDatabase first = databases.ensure(A, 1);
        TenantDatabase renewed = databases.ensure(A, 2);

        assertThat(server.log()).contains("ALTER ROLE").doesNotContain(first.password(), renewed.password());
    }

    @Test
    void givenEnsuredTenant_whenEnsuredAgainOrARevivalGetsANewGeneration_thenOnlyTheCurrentPasswordWorks()
            throws Exception {
        PostgresTenantDatabases databases = adapter(false);
        TenantDatabase first = databases.ensure(A, 1);
        databases.ensure(A, 1);
        as(first, first.name()).close();

        TenantDatabase second = databases.ensure(A, 2);

        as(second, second.name()).close();
        assertThat(refused(first, first.name()).getSQLState())
                .as("the old generation's password")
                .isEqualTo("28P01");
    }

    @Test
    void givenTenantWithData_whenRemovedAndRevived_thenTheRevivalStartsWithAnEmptyDatabase() throws Exception {
        PostgresTenantDatabases databases = adapter(false);
        TenantDatabase first = databases.ensure(A, 1);
        try (Connection own = as(first, first.name());
                Statement sql = own.createStatement()) {
            sql.execute("CREATE TABLE notes (body text)");
        }

        databases.remove(A, 1);
        assertThat(admin.databases()).doesNotContain(first.name());
        assertThat(admin.roles()).doesNotContain(first.user());
        TenantDatabase revived = databases.ensure(A, 2);

        try (Connection own = as(revived, revived.name());
                Statement sql = own.createStatement();
                ResultSet tables = sql.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }

    @Test
    void givenRetainOnRemove_whenRemoved_thenTheDataIsKeptLockedAndARevivalGetsAFreshDatabase() throws Exception {
        PostgresTenantDatabases databases = adapter(true);
        TenantDatabase first = databases.ensure(A, 1);
        try (Connection own = as(first, first.name());
                Statement sql = own.createStatement()) {
            sql.execute("CREATE TABLE notes (body text)");
            sql.execute("INSERT INTO notes VALUES ('kept')");
        }

        databases.remove(A, 1);
        databases.remove(A, 1);

        String retired = first.name() + "_g1_retired";
        assertThat(admin.databases()).contains(retired).doesNotContain(first.name());
        assertThat(admin.loginRoles()).doesNotContain(first.user(), retired);
        try (Connection kept = admin.connectAllowingConnections(retired);
                Statement sql = kept.createStatement();
                ResultSet rows = sql.executeQuery("SELECT body FROM notes")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("kept");
        }
        TenantDatabase revived = databases.ensure(A, 2);
        as(revived, revived.name()).close();
        assertThat(admin.databases()).contains(retired, revived.name());
    }
}
