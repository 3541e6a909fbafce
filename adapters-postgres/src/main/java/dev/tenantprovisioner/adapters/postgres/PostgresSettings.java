package dev.tenantprovisioner.adapters.postgres;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the shared server is and how tenants are given their space on it.
 *
 * @param adminUrl         JDBC URL of a database the admin connects to ({@code jdbc:postgresql://host:5432/postgres})
 * @param adminUser        a role that may create roles and databases (RDS: the master user)
 * @param adminPassword    its password
 * @param passwordKey      the key tenants' passwords are derived from (at least 32 random bytes; see {@link Passwords})
 * @param tenantHost       the host tenants' containers connect to; empty: the admin URL's host
 * @param tenantPort       the port tenants connect to; empty: the admin URL's port (or 5432)
 * @param connectionLimit  connections one tenant role may hold at once
 * @param retainOnRemove   keep a removed tenant's database and role, locked and renamed, instead of dropping them
 */
public record PostgresSettings(
        String adminUrl,
        String adminUser,
        String adminPassword,
        byte[] passwordKey,
        Optional<String> tenantHost,
        Optional<Integer> tenantPort,
        int connectionLimit,
        boolean retainOnRemove) {

    public static final int DEFAULT_CONNECTION_LIMIT = 10;

    public PostgresSettings {
        if (Objects.requireNonNull(adminUrl, "DATABASE_ADMIN_URL").isBlank()
                || !adminUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                    "DATABASE_ADMIN_URL: must be a JDBC URL like jdbc:postgresql://host:5432/postgres, was '" + adminUrl
                            + "'");
        }
        if (Objects.requireNonNull(adminUser, "DATABASE_ADMIN_USER").isBlank()) {
            throw new IllegalArgumentException("DATABASE_ADMIN_USER: must not be blank");
        }
        Objects.requireNonNull(adminPassword, "DATABASE_ADMIN_PASSWORD");
        if (Objects.requireNonNull(passwordKey, "DATABASE_PASSWORD_KEY").length < 32) {
            throw new IllegalArgumentException(
                    "DATABASE_PASSWORD_KEY: must be at least 32 random bytes (base64), was " + passwordKey.length);
        }
        passwordKey = passwordKey.clone();
        Objects.requireNonNull(tenantHost, "DATABASE_TENANT_HOST");
        Objects.requireNonNull(tenantPort, "DATABASE_TENANT_PORT");
        if (connectionLimit < 1 || connectionLimit > 1000) {
            throw new IllegalArgumentException("DATABASE_CONNECTION_LIMIT: must be 1-1000, was " + connectionLimit);
        }
    }

    /** The host tenants connect to. */
    public String hostForTenants() {
        return tenantHost.orElseGet(() -> server().getHost());
    }

    /** The port tenants connect to. */
    public int portForTenants() {
        return tenantPort.orElseGet(() -> server().getPort() > 0 ? server().getPort() : 5432);
    }

    @Override
    public byte[] passwordKey() {
        return passwordKey.clone();
    }

    @Override
    public String toString() {
        return "PostgresSettings[" + adminUser + " at " + adminUrl + ", tenants reach " + hostForTenants() + ":"
                + portForTenants() + ", connection limit " + connectionLimit + ", retain " + retainOnRemove + "]";
    }

    private URI server() {
        return URI.create(adminUrl.substring("jdbc:".length()));
    }
}
