package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.postgres.ClusterFolder;
import dev.tenantprovisioner.adapters.postgres.LocalPostgresServer;
import dev.tenantprovisioner.adapters.postgres.PostgresSettings;
import dev.tenantprovisioner.adapters.postgres.PostgresTenantDatabases;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.local.LocalSettings.DatabaseMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the local runner's tenants keep their data: the server {@code DATABASE_ADMIN_URL} names, or a PostgreSQL
 * server of this machine's own binaries that the runner starts in {@code LOCAL_DATABASE_DIR} (its data and the key
 * tenants' passwords are derived from stay there, so a tenant's data and password survive the runner; where the
 * postgres user the server runs as cannot reach that folder, in the place {@link ClusterFolder} finds), or none.
 */
final class LocalDatabases implements AutoCloseable {

    /** Empty databases the runner's own server keeps ready for the next signups. */
    static final int SPARE_DATABASES = 3;

    private final Optional<TenantDatabases> databases;
    private final Optional<LocalPostgresServer> server;
    private final String description;

    private LocalDatabases(
            Optional<TenantDatabases> databases, Optional<LocalPostgresServer> server, String description) {
        this.databases = databases;
        this.server = server;
        this.description = description;
    }

    /**
     * The tenants' databases as configured. Where the runner's own server cannot start, it runs without them and the
     * description says why in one line ({@code LOCAL_DATABASE=auto}), or it does not start ({@code on}:
     * {@link CannotStart}); the tools' output goes to {@code log}. A server named by {@code DATABASE_ADMIN_URL} that
     * cannot be reached stops the runner too: it was asked for.
     */
    static LocalDatabases start(LocalSettings settings, RunnerLog log) {
        if (settings.database().isPresent()) {
            PostgresSettings given = settings.database().get();
            PostgresTenantDatabases databases = new PostgresTenantDatabases(given);
            try {
                databases.checkAdminConnection();
            } catch (InfrastructureException unreachable) {
                throw new CannotStart("tenant databases (DATABASE_ADMIN_URL) cannot start: "
                        + unreachable.getMessage().lines().findFirst().orElse("") + "; check DATABASE_ADMIN_URL,"
                        + " DATABASE_ADMIN_USER and DATABASE_ADMIN_PASSWORD, or unset them to let LOCAL_DATABASE"
                        + " choose");
            }
            return new LocalDatabases(
                    Optional.of(databases),
                    Optional.empty(),
                    "one per tenant on " + given.adminUrl() + " (DATABASE_ADMIN_URL)");
        }
        if (settings.localDatabase() == DatabaseMode.OFF) {
            return new LocalDatabases(Optional.empty(), Optional.empty(), "off (LOCAL_DATABASE=off)");
        }
        Optional<Path> binaries = LocalPostgresServer.findBinaries();
        if (binaries.isEmpty()) {
            return unavailable(settings, LocalPostgresServer.missingMessage(), Optional.empty(), "");
        }
        Path chosen = settings.localDatabaseDir();
        String elsewhere = "set LOCAL_DATABASE_DIR to another folder";
        ClusterFolder cluster;
        try {
            cluster = ClusterFolder.of(chosen);
        } catch (IOException e) {
            return unavailable(
                    settings,
                    "cannot keep them in " + chosen + ": " + Preflight.why(e, chosen),
                    Optional.empty(),
                    elsewhere);
        }
        LocalPostgresServer server;
        try {
            server = LocalPostgresServer.start(binaries.get(), cluster.actual(), freePort());
        } catch (LocalPostgresServer.StartFailed failed) {
            return unavailable(settings, failed.summary(), log.record("PostgreSQL did not start", failed), elsewhere);
        } catch (UncheckedIOException failed) {
            return unavailable(
                    settings,
                    "PostgreSQL could not be prepared in " + cluster.actual() + ": "
                            + Preflight.why(failed.getCause(), cluster.actual()),
                    log.record("PostgreSQL could not be prepared", failed),
                    elsewhere);
        }
        PostgresSettings base;
        try {
            base = server.settings(passwordKey(cluster.actual()), false);
        } catch (UncheckedIOException failed) {
            server.close();
            return unavailable(settings, failed.getMessage(), log.record("no password key", failed), elsewhere);
        }
        String where = cluster.moved()
                ? cluster.actual() + " (the postgres user cannot reach LOCAL_DATABASE_DIR " + chosen + ", whose "
                        + ClusterFolder.NOTE + " names this place)"
                : chosen.toString();
        return new LocalDatabases(
                // A few databases made ahead of need: a signup then waits for none to be copied from the template.
                Optional.of(PostgresTenantDatabases.withSpareDatabases(base, SPARE_DATABASES)),
                Optional.of(server),
                "one per tenant on PostgreSQL at 127.0.0.1:" + server.port() + ", data in " + where);
    }

    /** Without its databases the runner goes on, saying why in one line, unless they were asked for ({@code on}). */
    private static LocalDatabases unavailable(
            LocalSettings settings, String reason, Optional<Path> details, String fix) {
        String why = reason + details.map(file -> " (details in " + file + ")").orElse("") + "; "
                + (fix.isEmpty() ? "" : fix + ", or ");
        if (settings.localDatabase() == DatabaseMode.ON) {
            throw new CannotStart("tenant databases (LOCAL_DATABASE=on) cannot start: " + why
                    + "set LOCAL_DATABASE=auto to run without them");
        }
        return new LocalDatabases(
                Optional.empty(),
                Optional.empty(),
                "off: " + why + "set LOCAL_DATABASE=off to run without them quietly");
    }

    Optional<TenantDatabases> databases() {
        return databases;
    }

    String description() {
        return description;
    }

    /** The key of this folder's tenants' passwords, made once with {@link SecureRandom} and kept beside the data. */
    private static byte[] passwordKey(Path folder) {
        Path file = folder.resolve("password-key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the tenants' password key in " + file, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        databases.ifPresent(tenantDatabases -> {
            if (tenantDatabases instanceof PostgresTenantDatabases postgres) {
                postgres.close();
            }
        });
        server.ifPresent(LocalPostgresServer::close);
    }
}
