package dev.tenantprovisioner.domain.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a tenant's container reaches its own database: the conventional {@code DATABASE_URL} and libpq's {@code PG*}
 * variables. The password is a secret: it is kept out of {@link #toString()}, and {@link #secrets()} holds everything
 * that carries it, so a runtime can hand those over by reference instead of as plain configuration.
 */
public record TenantDatabase(String host, int port, String name, String user, String password) {

    public TenantDatabase {
        requireText(host, "host");
        requireText(name, "name");
        requireText(user, "user");
        requireText(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: must be 1-65535, was " + port);
        }
    }

    /** The variables that hold no secret: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}. */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PGHOST", host);
        variables.put("PGPORT", Integer.toString(port));
        variables.put("PGDATABASE", name);
        variables.put("PGUSER", user);
        return Map.copyOf(variables);
    }

    /** The variables that carry the password: {@code DATABASE_URL} and {@code PGPASSWORD}. */
    public Map<String, String> secrets() {
        String url =
                "postgresql://" + encode(user) + ":" + encode(password) + "@" + host + ":" + port + "/" + encode(name);
        return Map.of("DATABASE_URL", url, "PGPASSWORD", password);
    }

    @Override
    public String toString() {
        return "TenantDatabase[" + user + "@" + host + ":" + port + "/" + name + ", password hidden]";
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireText(String value, String field) {
        if (Objects.requireNonNull(value, field).isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
    }
}
