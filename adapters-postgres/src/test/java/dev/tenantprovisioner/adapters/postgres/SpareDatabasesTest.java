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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database made ahead of need and handed over at signup is the tenant's own as much as one made for it: owned by its
 * role (the public schema too), closed to PUBLIC, reachable by no other tenant; and nobody may reach a spare meanwhile.
 */
class SpareDatabasesTest {

    private static final TenantId A = TenantId.of("alice-co");
    private static final TenantId B = TenantId.of("bob-co");

    private static LocalPostgresServer server;
    private static Admin admin;

    @BeforeAll
    static void startServer() {
        server = LocalPostgresServer.startTemporary();
        admin = new Admin(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private final List<PostgresTenantDatabases> made = new java.util.ArrayList<>();

    /** Tenant databases with {@code count} spares, closed after the test (its kept connections with it). */
    private PostgresTenantDatabases withSpares(int count) {
        PostgresTenantDatabases databases =
                PostgresTenantDatabases.withSpareDatabases(server.settings(Admin.KEY, false), count);
        made.add(databases);
        return databases;
    }

    @AfterEach
    void dropEverything() {
        made.forEach(PostgresTenantDatabases::close);
        admin.dropAllTenants();
        for (String spare : spares()) {
            admin.execute("DROP DATABASE " + PostgresTenantDatabases.quote(spare));
        }
    }

    private static List<String> spares() {
        try (Connection connection = admin.connect("postgres")) {
            return PostgresTenantDatabases.spareNames(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oid(String database) {
        try (Connection connection = admin.connect("postgres")) {
            return one(connection, "SELECT oid FROM pg_database WHERE datname = '" + database + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection as(TenantDatabase credentials, String database) throws SQLException {
        return DriverManager.getConnection(server.urlOf(database), credentials.user(), credentials.password());
    }

    private static String refusal(TenantDatabase credentials, String database) {
        return catchThrowableOfType(
                        SQLException.class, () -> as(credentials, database).close())
                .getSQLState();
    }

    private static String one(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void givenSpareDatabases_whenTwoTenantsSignUp_thenEachGetsASpareThatIsItsOwnAlone() throws Exception {
        PostgresTenantDatabases databases = withSpares(2);
        databases.fillSpares();
        // The oldest spare is taken; spares made meanwhile in the background are younger.
        String oldest = oid(spares().get(0));

        TenantDatabase a = databases.ensure(A, 1);
        String next = oid(spares().get(0));
        TenantDatabase b = databases.ensure(B, 1);

        assertThat(oid(a.name()))
                .as("alice's database is the spare that was oldest")
                .isEqualTo(oldest);
        assertThat(oid(b.name())).as("bob's, the next").isEqualTo(next);
        try (Connection own = as(a, a.name());
                Statement sql = own.createStatement()) {
            assertThat(one(own, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo(a.user());
            assertThat(one(own, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"))
                    .as("the public schema's owner")
                    .isEqualTo("pg_database_owner");
            assertThat(one(own, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                    .as("nothing in it yet")
                    .isEqualTo("0");
            sql.execute("CREATE TABLE notes (body text)");
            sql.execute("CREATE SCHEMA app");
        }
        assertThat(refusal(b, a.name())).as("another tenant's database").isEqualTo("42501");
        assertThat(refusal(a, b.name())).as("the other way round").isEqualTo("42501");
        for (String spare : spares()) {
            assertThat(refusal(a, spare)).as("a spare database").isEqualTo("42501");
        }
    }

    @Test
    void givenASpareRenamedByAProvisionerThatStopped_whenTheTenantIsEnsuredAgain_thenItsRoleGetsIt() throws Exception {
        PostgresTenantDatabases databases = withSpares(1);
        databases.fillSpares();
        databases.ensure(A, 1);
        admin.execute("ALTER DATABASE " + PostgresTenantDatabases.nameOf(A) + " OWNER TO " + LocalPostgresServer.ADMIN);

        TenantDatabase a = databases.ensure(A, 1);

        try (Connection own = as(a, a.name())) {
            assertThat(one(own, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo(a.user());
        }
    }

    private static int provisionerSessions() {
        try (Connection connection = admin.connect("postgres")) {
            return Integer.parseInt(one(
                    connection, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tenant-provisioner'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether another session can take the tenant's advisory lock now (and gives it back at once). */
    private static boolean lockFree(TenantId tenant) {
        try (Connection other = admin.connect("postgres");
                java.sql.PreparedStatement lock = other.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, PostgresTenantDatabases.lockKey(tenant));
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void givenAProcessThatKeepsItsAdminConnections_whenTenantsComeAndGo_thenItHoldsAtMostTwoAndNoTenantsLock()
            throws Exception {
        PostgresTenantDatabases databases = withSpares(1);
        databases.fillSpares();

        databases.ensure(A, 1);
        databases.ensure(B, 1);
        databases.ensure(A, 1);
        databases.remove(B, 1);

        assertThat(provisionerSessions()).as("admin connections kept open").isBetween(1, 2);
        assertThat(lockFree(A))
                .as("alice's lock, given back on a kept connection")
                .isTrue();
        assertThat(lockFree(B)).as("bob's").isTrue();
    }

    @Test
    void givenKeptAdminConnections_whenClosed_thenNoneIsLeftOpen() throws Exception {
        PostgresTenantDatabases databases = withSpares(1);
        databases.fillSpares();
        databases.ensure(A, 1);

        databases.close();

        long deadline = System.currentTimeMillis() + 5_000;
        while (provisionerSessions() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(provisionerSessions()).isZero();
    }

    @Test
    void givenAKeptAdminConnectionTheServerEnded_whenATenantIsEnsured_thenANewOneIsOpenedAndItWorks() throws Exception {
        PostgresTenantDatabases databases = withSpares(1);
        databases.fillSpares();
        databases.ensure(A, 1);
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'tenant-provisioner'");

        TenantDatabase b = databases.ensure(B, 1);

        try (Connection own = as(b, b.name())) {
            assertThat(one(own, "SELECT current_database()")).isEqualTo(b.name());
        }
        assertThat(lockFree(B)).isTrue();
    }
}
