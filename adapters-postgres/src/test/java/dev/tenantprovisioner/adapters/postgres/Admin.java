package dev.tenantprovisioner.adapters.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tests' own look at the server, as its admin, independent of the adapter. */
final class Admin {

    /** A fixed key, so a test can recompute what the adapter derived. */
    static final byte[] KEY =
            Arrays.copyOf("tenant-provisioner test key, 32 bytes at least".getBytes(StandardCharsets.UTF_8), 40);

    private final LocalPostgresServer server;

    Admin(LocalPostgresServer server) {
        this.server = server;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(server.urlOf(database), LocalPostgresServer.ADMIN, server.adminPassword());
    }

    /** A retained database refuses connections; the admin lets itself in for a look. */
    Connection connectAllowingConnections(String database) throws SQLException {
        execute("ALTER DATABASE " + PostgresTenantDatabases.quote(database) + " ALLOW_CONNECTIONS true");
        return connect(database);
    }

    List<String> databases() {
        return strings("SELECT datname FROM pg_database WHERE datname LIKE 'tenant\\_%' ORDER BY 1");
    }

    List<String> loginRoles() {
        return strings("SELECT rolname FROM pg_roles WHERE rolname LIKE 'tenant\\_%' AND rolcanlogin ORDER BY 1");
    }

    List<String> roles() {
        return strings("SELECT rolname FROM pg_roles WHERE rolname LIKE 'tenant\\_%' ORDER BY 1");
    }

    void dropAllTenants() {
        for (String database : databases()) {
            execute("DROP DATABASE " + PostgresTenantDatabases.quote(database) + " WITH (FORCE)");
        }
        for (String role : roles()) {
            execute("DROP ROLE " + PostgresTenantDatabases.quote(role));
        }
    }

    void execute(String sql) {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private List<String> strings(String sql) {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
