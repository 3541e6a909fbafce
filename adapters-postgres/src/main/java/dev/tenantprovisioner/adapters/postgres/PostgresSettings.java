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

    /** The variable whose presence turns tenant databases on. */
    public static final String ADMIN_URL = "DATABASE_ADMIN_URL";

    /**
     * The settings from configuration variables ({@code DATABASE_*}, see the README), or empty when
     * {@code DATABASE_ADMIN_URL} is not set (tenant databases off).
     *
     * @throws IllegalArgumentException naming every variable that is missing or invalid
     */
    public static Optional<PostgresSettings> from(java.util.function.Function<String, Optional<String>> variable) {
        Optional<String> url = variable.apply(ADMIN_URL).filter(v -> !v.isBlank());
        java.util.List<String> others = java.util.List.of(
                "DATABASE_ADMIN_USER",
                "DATABASE_ADMIN_PASSWORD",
                "DATABASE_PASSWORD_KEY",
                "DATABASE_TENANT_HOST",
                "DATABASE_TENANT_PORT",
                "DATABASE_CONNECTION_LIMIT",
                "DATABASE_RETAIN_ON_DEPROVISION");
        java.util.List<String> setWithoutUrl = others.stream()
                .filter(name -> variable.apply(name).filter(v -> !v.isBlank()).isPresent())
                .toList();
        if (url.isEmpty()) {
            if (!setWithoutUrl.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", setWithoutUrl)
                        + " set but DATABASE_ADMIN_URL is not: tenant databases are off; set it, or unset those");
            }
            return Optional.empty();
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        String user =
                variable.apply("DATABASE_ADMIN_USER").filter(v -> !v.isBlank()).orElse("");
        if (user.isEmpty()) {
            problems.add("DATABASE_ADMIN_USER is required with DATABASE_ADMIN_URL (the admin role)");
        }
        String password = variable.apply("DATABASE_ADMIN_PASSWORD").orElse("");
        if (password.isEmpty()) {
            problems.add("DATABASE_ADMIN_PASSWORD (or DATABASE_ADMIN_PASSWORD_SECRET_ID) is required with "
                    + "DATABASE_ADMIN_URL");
        }
        byte[] key = new byte[0];
        Optional<String> keyText = variable.apply("DATABASE_PASSWORD_KEY").filter(v -> !v.isBlank());
        if (keyText.isEmpty()) {
            problems.add("DATABASE_PASSWORD_KEY (or DATABASE_PASSWORD_KEY_SECRET_ID) is required with "
                    + "DATABASE_ADMIN_URL: at least 32 random bytes, base64 (openssl rand -base64 32)");
        } else {
            try {
                key = java.util.Base64.getDecoder().decode(keyText.get().strip());
            } catch (IllegalArgumentException e) {
                problems.add("DATABASE_PASSWORD_KEY: not base64 (" + e.getMessage() + ")");
            }
        }
        Optional<Integer> tenantPort = Optional.empty();
        int limit = DEFAULT_CONNECTION_LIMIT;
        try {
            tenantPort = variable.apply("DATABASE_TENANT_PORT")
                    .filter(v -> !v.isBlank())
                    .map(Integer::parseInt);
            limit = variable.apply("DATABASE_CONNECTION_LIMIT")
                    .filter(v -> !v.isBlank())
                    .map(Integer::parseInt)
                    .orElse(DEFAULT_CONNECTION_LIMIT);
        } catch (NumberFormatException e) {
            problems.add("DATABASE_TENANT_PORT and DATABASE_CONNECTION_LIMIT must be whole numbers (" + e.getMessage()
                    + ")");
        }
        String retain =
                variable.apply("DATABASE_RETAIN_ON_DEPROVISION").orElse("false").strip();
        if (!retain.equals("true") && !retain.equals("false")) {
            problems.add("DATABASE_RETAIN_ON_DEPROVISION must be true or false, was '" + retain + "'");
        }
        if (problems.isEmpty()) {
            try {
                return Optional.of(new PostgresSettings(
                        url.get().strip(),
                        user,
                        password,
                        key,
                        variable.apply("DATABASE_TENANT_HOST").filter(v -> !v.isBlank()),
                        tenantPort,
                        limit,
                        retain.equals("true")));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException(String.join("; ", problems));
    }

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
