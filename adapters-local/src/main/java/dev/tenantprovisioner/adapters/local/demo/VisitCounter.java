package dev.tenantprovisioner.adapters.local.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo app's visit counter, kept in the tenant's own database (the {@code PG*} variables the provisioner hands
 * every tenant when databases are on): the count is the tenant's alone and outlives a restart of its instance. Plain
 * JDBC through {@link DriverManager}; the PostgreSQL driver is found on the class path at run time (the local runner's
 * jar carries it).
 */
final class VisitCounter {

    private final String url;
    private final Properties credentials = new Properties();

    private VisitCounter(String host, String port, String database, String user, String password) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("connectTimeout", "3");
    }

    /** The counter, when the environment names a database; empty otherwise. */
    static Optional<VisitCounter> fromEnvironment(Map<String, String> environment) {
        String[] names = {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD"};
        for (String name : names) {
            String value = environment.get(name);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
        }
        return Optional.of(new VisitCounter(
                environment.get("PGHOST"),
                environment.get("PGPORT"),
                environment.get("PGDATABASE"),
                environment.get("PGUSER"),
                environment.get("PGPASSWORD")));
    }

    /** Counts this visit; what the page says about it (the count, or why there is none). */
    String countVisit() {
        try (Connection connection = DriverManager.getConnection(url, credentials);
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS visits (id int PRIMARY KEY, count bigint NOT NULL)");
            try (ResultSet row = sql.executeQuery("INSERT INTO visits VALUES (1, 1) ON CONFLICT (id)"
                    + " DO UPDATE SET count = visits.count + 1 RETURNING count")) {
                row.next();
                return row.getLong(1) + ", counted in your own database " + connection.getCatalog();
            }
        } catch (SQLException e) {
            return "not counted: " + e.getMessage();
        }
    }
}
