package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.postgres.LocalPostgresServer;
import dev.tenantprovisioner.adapters.postgres.PostgresSettings;
import dev.tenantprovisioner.adapters.postgres.PostgresTenantDatabases;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
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
 * tenants' passwords are derived from stay there, so a tenant's data and password survive the runner), or none.
 */
final class LocalDatabases implements AutoCloseable {

    private final Optional<TenantDatabases> databases;
    private final Optional<LocalPostgresServer> server;
    private final String description;

    private LocalDatabases(
            Optional<TenantDatabases> databases, Optional<LocalPostgresServer> server, String description) {
        this.databases = databases;
        this.server = server;
        this.description = description;
    }

    static LocalDatabases start(LocalSettings settings) {
        if (settings.database().isPresent()) {
            PostgresSettings given = settings.database().get();
            return new LocalDatabases(
                    Optional.of(new PostgresTenantDatabases(given)),
                    Optional.empty(),
                    "one per tenant on " + given.adminUrl() + " (DATABASE_ADMIN_URL)");
        }
        if (!settings.localDatabase()) {
            return new LocalDatabases(Optional.empty(), Optional.empty(), "off (LOCAL_DATABASE=off)");
        }
        Optional<Path> binaries = LocalPostgresServer.findBinaries();
        if (binaries.isEmpty()) {
            return new LocalDatabases(
                    Optional.empty(), Optional.empty(), "off: " + LocalPostgresServer.missingMessage());
        }
        Path folder = settings.localDatabaseDir();
        LocalPostgresServer server = LocalPostgresServer.start(binaries.get(), folder, freePort());
        PostgresSettings base = server.settings(passwordKey(folder), false);
        return new LocalDatabases(
                Optional.of(new PostgresTenantDatabases(base)),
                Optional.of(server),
                "one per tenant on PostgreSQL at 127.0.0.1:" + server.port() + ", data in " + folder);
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
        server.ifPresent(LocalPostgresServer::close);
    }
}
