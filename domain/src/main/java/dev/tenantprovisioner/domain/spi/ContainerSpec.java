package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Map;
import java.util.Objects;

/**
 * What to start: the tenant, the host port it listens on, and a token that is the same for every retry of this start
 * (so the runtime can deduplicate) and new for a restart or a new generation. {@code environment} and {@code secrets}
 * are further variables for the container (its database, say); a runtime hands {@code secrets} over without writing
 * them into configuration others can read, where it has a way to.
 */
public record ContainerSpec(
        TenantId tenant,
        HostPort port,
        String startToken,
        Map<String, String> environment,
        Map<String, String> secrets) {

    public ContainerSpec {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(startToken, "startToken");
        if (startToken.isBlank()) {
            throw new IllegalArgumentException("startToken: must not be blank");
        }
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        secrets = Map.copyOf(Objects.requireNonNull(secrets, "secrets"));
        for (String name : secrets.keySet()) {
            if (environment.containsKey(name)) {
                throw new IllegalArgumentException(name + " is given both as a variable and as a secret");
            }
        }
    }

    /** A start with nothing but the tenant and its port. */
    public ContainerSpec(TenantId tenant, HostPort port, String startToken) {
        this(tenant, port, startToken, Map.of(), Map.of());
    }

    /** This start, with the container's database handed over. */
    public ContainerSpec withDatabase(TenantDatabase database) {
        Map<String, String> variables = new java.util.HashMap<>(environment);
        variables.putAll(database.environment());
        Map<String, String> hidden = new java.util.HashMap<>(secrets);
        hidden.putAll(database.secrets());
        return new ContainerSpec(tenant, port, startToken, variables, hidden);
    }

    @Override
    public String toString() {
        return "ContainerSpec[" + tenant + " on " + port + ", token " + startToken + ", variables "
                + environment.keySet() + ", secrets " + secrets.keySet() + "]";
    }
}
