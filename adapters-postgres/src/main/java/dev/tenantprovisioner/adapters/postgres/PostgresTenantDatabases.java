package dev.tenantprovisioner.adapters.postgres;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;

/**
 * One database and one role per tenant on a shared PostgreSQL (15 or newer) server. A database rather than a schema:
 * a role that may connect to its own database only cannot see other tenants' tables, functions or even their names
 * in that database's catalogs, {@code DATABASE_URL} is the usual one database per app, and dropping a tenant is one
 * {@code DROP DATABASE}. The cost is a few MB of catalog per tenant and a connection pool per database, not per
 * server.
 *
 * <p>Everything is idempotent and converges after a crash at any point: the steps for one tenant run under a
 * session advisory lock (so two provisioners, or a provision and a deprovision, take turns), each step checks
 * what is there first, and the role records in its comment the generation it was last ensured for. Passwords are
 * derived ({@link Passwords}) and set with {@link PGConnection#alterUserPassword}, which hashes them (SCRAM-SHA-256)
 * on this side: the server, its logs and {@code pg_stat_statements} never see them.
 *
 * <p>With spare databases ({@link #withSpareDatabases}), a new tenant's database is one made ahead of need: created
 * empty from the same template, owned by the admin, closed to PUBLIC and never connected to, then renamed to the
 * tenant's name and given to its role, which makes it what {@code CREATE DATABASE ... OWNER} would have made (on
 * PostgreSQL 15 the {@code public} schema belongs to {@code pg_database_owner}, so it follows the owner). The spares
 * are made again in the background, off the signup's path. A spare another provisioner took first, or none left, means
 * {@code CREATE DATABASE} as before.
 */
public final class PostgresTenantDatabases implements TenantDatabases, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresTenantDatabases.class.getName());
    private static final String COMMENT_PREFIX = "tenant-provisioner generation ";
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String DUPLICATE_DATABASE = "42P04";
    /** Spare databases' names: never a tenant's ({@code tenant_...}). */
    static final String SPARE_PREFIX = "tp_spare_";
    /**
     * How long after a spare was handed out the next is made: the new tenant's start comes first (a copy made at once
     * took a new tenant's start from 1.36x to about 1.5x the app's own, two cores, bench/local-runner.sh).
     */
    private static final long REFILL_DELAY_MILLIS = 5_000;
    /** Kept admin connections at most: a signup's and the spares' refill. */
    private static final int MAX_KEPT = 2;

    private final PostgresSettings settings;
    private final Passwords passwords;
    private final int spares;
    private final Optional<ScheduledExecutorService> refill;
    /**
     * Admin connections kept open between calls by a long-lived process (the one with spare databases), so a signup
     * does not open one (TCP and SCRAM: about 30 ms of the database step); none on Lambda, which is frozen between
     * invocations. A kept connection is checked before it is used again, and one a step failed on is closed.
     */
    private final Optional<Deque<Connection>> kept;

    private volatile boolean serverPrepared;

    public PostgresTenantDatabases(PostgresSettings settings) {
        this(settings, 0);
    }

    private PostgresTenantDatabases(PostgresSettings settings, int spares) {
        this.settings = settings;
        this.passwords = new Passwords(settings.passwordKey());
        this.spares = spares;
        this.kept = spares == 0 ? Optional.empty() : Optional.of(new ArrayDeque<>());
        this.refill = spares == 0
                ? Optional.empty()
                : Optional.of(Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "spare-databases");
                    thread.setDaemon(true);
                    return thread;
                }));
    }

    /**
     * Keeps {@code spares} empty databases made ahead of need, so a new tenant's signup does not wait for
     * {@code CREATE DATABASE} (a copy of the template: tens of milliseconds, more on a durable server). The first are
     * made in the background from now on. For a long-lived process (the local runner): a Lambda is frozen between
     * invocations, so its background work would wait for the next one.
     */
    public static PostgresTenantDatabases withSpareDatabases(PostgresSettings settings, int spares) {
        if (spares < 1) {
            throw new IllegalArgumentException("spares: at least 1, was " + spares);
        }
        PostgresTenantDatabases databases = new PostgresTenantDatabases(settings, spares);
        databases.refill.orElseThrow().execute(databases::fillSpares);
        return databases;
    }

    /**
     * Stops making spare databases and closes the admin connections kept open (for the process that made them with
     * {@link #withSpareDatabases}; nothing to do otherwise). Before the server stops, so no refill meets a server gone.
     */
    @Override
    public void close() {
        refill.ifPresent(ScheduledExecutorService::shutdownNow);
        kept.ifPresent(idle -> {
            synchronized (idle) {
                idle.forEach(PostgresTenantDatabases::closeQuietly);
                idle.clear();
            }
        });
    }

    /** Makes spare databases until there are as many as asked for; failures are logged, the next signup creates. */
    void fillSpares() {
        try {
            withAdmin("make spare databases", admin -> {
                List<String> made = spareNames(admin);
                for (String spare : made) {
                    // Closed again, in case a provisioner stopped between making one and closing it; one a signup took
                    // meanwhile (renamed: 3D000) is the tenant's now, and closed by its ensure.
                    try {
                        execute(admin, "REVOKE ALL ON DATABASE " + quote(spare) + " FROM PUBLIC");
                    } catch (SQLException takenMeanwhile) {
                        if (!"3D000".equals(takenMeanwhile.getSQLState())) {
                            throw takenMeanwhile;
                        }
                    }
                }
                for (int missing = spares - made.size(); missing > 0; missing--) {
                    String name = SPARE_PREFIX
                            + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
                    execute(admin, "CREATE DATABASE " + quote(name));
                    execute(admin, "REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
                }
                return null;
            });
        } catch (InfrastructureException e) {
            LOG.warning(() -> "could not make spare databases (signups create theirs meanwhile): " + e.getMessage());
        }
    }

    /** The spare databases there are now, oldest first (the one a signup takes). */
    static List<String> spareNames(Connection admin) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement query =
                admin.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY oid")) {
            query.setString(1, SPARE_PREFIX);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** The database and role name of a tenant: {@code tenant_} and its id with {@code -} as {@code _}. */
    static String nameOf(TenantId tenant) {
        // A tenant id is a DNS label (lowercase letters, digits, inner hyphens) of at most 36 characters, so the name
        // is a plain identifier of at most 43, and no two tenants map to one name (ids hold no underscore).
        return "tenant_" + tenant.value().replace('-', '_');
    }

    @Override
    public TenantDatabase ensure(TenantId tenant, int generation) {
        String name = nameOf(tenant);
        withTenantLocked(tenant, "ensure the database of " + tenant, admin -> {
            prepareServer(admin);
            Optional<Integer> recorded = generationOf(admin, name);
            if (recorded.isEmpty()) {
                createRole(admin, name);
            }
            if (recorded.isEmpty() || recorded.get() < generation) {
                // A new role, or a new generation (revived, or retried after a failure): no container of an older
                // generation is meant to run, so its password may change. The generation is recorded last, so a
                // crash before it makes the repeat set the password again.
                setPassword(admin, name, tenant, generation);
                execute(admin, "ALTER ROLE " + quote(name) + " LOGIN");
                record(admin, name, generation);
                LOG.info(() -> "role " + name + " ready for generation " + generation);
            }
            if (!databaseExists(admin, name)) {
                if (takeSpare(admin, name)) {
                    LOG.info(() -> "handed a spare database to " + name);
                } else {
                    createDatabase(admin, name);
                    LOG.info(() -> "created database " + name);
                }
            }
            if (!ownerOf(admin, name).equals(name)) {
                // A spare renamed by a provisioner that stopped before giving it away.
                execute(admin, "ALTER DATABASE " + quote(name) + " OWNER TO " + quote(name));
            }
            // Only its owner may connect: no CONNECT or TEMPORARY through PUBLIC.
            execute(admin, "REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
            return null;
        });
        return access(tenant, generation);
    }

    @Override
    public TenantDatabase access(TenantId tenant, int generation) {
        String name = nameOf(tenant);
        return new TenantDatabase(
                settings.hostForTenants(), settings.portForTenants(), name, name, passwords.of(tenant, generation));
    }

    @Override
    public void remove(TenantId tenant, int generation) {
        String name = nameOf(tenant);
        withTenantLocked(tenant, "remove the database of " + tenant, admin -> {
            Optional<Integer> recorded = generationOf(admin, name);
            if (recorded.isEmpty() || recorded.get() > generation) {
                // Never made, already removed, or it belongs to a newer generation now.
                return null;
            }
            if (settings.retainOnRemove()) {
                retain(admin, name, recorded.get());
            } else {
                execute(admin, "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
                execute(admin, "DROP ROLE IF EXISTS " + quote(name));
                LOG.info(() -> "dropped database and role " + name);
            }
            return null;
        });
    }

    /** Keeps the tenant's data, out of the way of a fresh database for a revival: locked, renamed, unreachable. */
    private void retain(Connection admin, String name, int generation) throws SQLException {
        String retired = name + "_g" + generation + "_retired";
        execute(admin, "ALTER ROLE " + quote(name) + " NOLOGIN");
        if (databaseExists(admin, name)) {
            execute(admin, "ALTER DATABASE " + quote(name) + " ALLOW_CONNECTIONS false");
            execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal(name));
            if (databaseExists(admin, retired)) {
                throw new InfrastructureException(
                        "cannot retain database " + name + ": " + retired + " exists already", false);
            }
            execute(admin, "ALTER DATABASE " + quote(name) + " RENAME TO " + quote(retired));
        }
        execute(admin, "ALTER ROLE " + quote(name) + " RENAME TO " + quote(retired));
        execute(admin, "COMMENT ON ROLE " + quote(retired) + " IS " + literal("retired by tenant-provisioner"));
        LOG.info(() -> "retained database and role " + name + " as " + retired + ", locked");
    }

    private void prepareServer(Connection admin) {
        if (serverPrepared) {
            return;
        }
        // Tenants must not reach the server's own databases through PUBLIC either. Best effort: an admin that does not
        // own them (a managed service's) cannot change them, and says so once.
        for (String database : new String[] {"postgres", "template1"}) {
            try {
                execute(admin, "REVOKE CONNECT, TEMPORARY ON DATABASE " + quote(database) + " FROM PUBLIC");
            } catch (SQLException e) {
                LOG.warning(() -> "could not revoke PUBLIC's CONNECT on database " + database
                        + " (tenants could connect to it): " + e.getMessage());
            }
        }
        serverPrepared = true;
    }

    private void createRole(Connection admin, String name) throws SQLException {
        try {
            execute(
                    admin,
                    "CREATE ROLE " + quote(name) + " LOGIN NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT "
                            + settings.connectionLimit());
        } catch (SQLException e) {
            if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                throw e;
            }
            // Made by a provisioner that does not take the advisory lock (an older version, by hand): take it over.
        }
        // A non-superuser admin (RDS) may only create a database owned by a role it belongs to.
        execute(admin, "GRANT " + quote(name) + " TO CURRENT_USER");
    }

    private void setPassword(Connection admin, String name, TenantId tenant, int generation) throws SQLException {
        admin.unwrap(PGConnection.class)
                .alterUserPassword(name, passwords.of(tenant, generation).toCharArray(), "scram-sha-256");
    }

    private void record(Connection admin, String name, int generation) throws SQLException {
        execute(admin, "COMMENT ON ROLE " + quote(name) + " IS " + literal(COMMENT_PREFIX + generation));
    }

    private void createDatabase(Connection admin, String name) throws SQLException {
        try {
            execute(admin, "CREATE DATABASE " + quote(name) + " OWNER " + quote(name));
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Renames a spare database to the tenant's (the caller gives it to the tenant's role); false when there is none to take (or
     * another provisioner took it first), and the caller creates one.
     */
    private boolean takeSpare(Connection admin, String name) throws SQLException {
        if (refill.isEmpty()) {
            return false;
        }
        for (String spare : spareNames(admin)) {
            try {
                execute(admin, "ALTER DATABASE " + quote(spare) + " RENAME TO " + quote(name));
            } catch (SQLException taken) {
                LOG.log(Level.FINE, "spare database " + spare + " not taken", taken);
                continue;
            }
            refill.get().schedule(this::fillSpares, REFILL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        }
        refill.get().execute(this::fillSpares);
        return false;
    }

    private static Optional<Integer> generationOf(Connection admin, String role) throws SQLException {
        try (PreparedStatement query =
                admin.prepareStatement("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, role);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String comment = row.getString(1);
                if (comment == null || !comment.startsWith(COMMENT_PREFIX)) {
                    // A role of that name the provisioner did not make (or did not finish): treat it as generation 0,
                    // so ensure takes it over and remove only removes it for a generation that asked.
                    return Optional.of(0);
                }
                return Optional.of(Integer.parseInt(comment.substring(COMMENT_PREFIX.length())));
            }
        }
    }

    private static String ownerOf(Connection admin, String database) throws SQLException {
        try (PreparedStatement query =
                admin.prepareStatement("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : "";
            }
        }
    }

    private static boolean databaseExists(Connection admin, String name) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private interface Step<T> {
        T run(Connection admin) throws SQLException;
    }

    /**
     * Connects as the admin once, so a server that cannot be reached or refuses the admin is found at start rather
     * than at the first tenant.
     *
     * @throws InfrastructureException saying why, in the driver's words
     */
    public void checkAdminConnection() {
        withAdmin("connect as " + settings.adminUser(), admin -> null);
    }

    /** Runs {@code step} on an admin connection, holding the tenant's advisory lock. */
    private <T> T withTenantLocked(TenantId tenant, String what, Step<T> step) {
        return withAdmin(what, admin -> {
            advisory(admin, "SELECT pg_advisory_lock(?)", tenant);
            // The lock is the session's: if the step fails, its connection is closed, which releases the lock.
            T result = step.run(admin);
            advisory(admin, "SELECT pg_advisory_unlock(?)", tenant);
            return result;
        });
    }

    private static void advisory(Connection admin, String sql, TenantId tenant) throws SQLException {
        try (PreparedStatement lock = admin.prepareStatement(sql)) {
            lock.setLong(1, lockKey(tenant));
            lock.execute();
        }
    }

    /** Runs {@code step} on an admin connection: a kept one if there is one, else a new one. */
    private <T> T withAdmin(String what, Step<T> step) {
        Connection admin = null;
        boolean fine = false;
        try {
            admin = borrow();
            T result = step.run(admin);
            fine = true;
            return result;
        } catch (SQLException e) {
            throw new InfrastructureException(
                    "PostgreSQL: could not " + what + " (" + e.getSQLState() + "): " + e.getMessage(), retryable(e), e);
        } finally {
            if (admin != null) {
                giveBack(admin, fine);
            }
        }
    }

    private Connection borrow() throws SQLException {
        if (kept.isPresent()) {
            while (true) {
                Connection idle;
                synchronized (kept.get()) {
                    idle = kept.get().pollFirst();
                }
                if (idle == null) {
                    break;
                }
                if (idle.isValid(2)) {
                    return idle;
                }
                closeQuietly(idle);
            }
        }
        return connect();
    }

    private void giveBack(Connection admin, boolean fine) {
        if (fine && kept.isPresent()) {
            synchronized (kept.get()) {
                if (kept.get().size() < MAX_KEPT && !refill.orElseThrow().isShutdown()) {
                    kept.get().push(admin);
                    return;
                }
            }
        }
        closeQuietly(admin);
    }

    private static void closeQuietly(Connection admin) {
        try {
            admin.close();
        } catch (SQLException ignored) {
            // Closing a connection that is broken already: nothing is left to release.
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.adminUser());
        properties.setProperty("password", settings.adminPassword());
        properties.setProperty("ApplicationName", "tenant-provisioner");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        Connection admin = DriverManager.getConnection(settings.adminUrl(), properties);
        admin.setAutoCommit(true);
        return admin;
    }

    /** Connection trouble and server-side resource limits pass; a refusal (permissions, syntax) will not. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state == null
                || state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources
                || state.startsWith("57") // operator intervention (shutdown, cancel)
                || state.startsWith("40"); // transaction rollback (deadlock, serialization)
    }

    /** The key of the tenant's advisory lock, which every provisioner takes while it changes the tenant's database. */
    static long lockKey(TenantId tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("tenant-provisioner:" + tenant.value()).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            LOG.log(Level.FINE, "failed: " + sql, e);
            throw e;
        }
    }

    /** Names here are built from tenant ids ({@code [a-z0-9_]}), so quoting is a formality that keeps it that way. */
    static String quote(String identifier) {
        if (!identifier.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("not a plain identifier: " + identifier);
        }
        return "\"" + identifier + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
