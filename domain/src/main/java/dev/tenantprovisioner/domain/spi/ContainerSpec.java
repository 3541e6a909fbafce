package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;

/**
 * What to start: the tenant, the host port it listens on, and a token that is the same for every
 * retry of this start (so the runtime can deduplicate) and new for a restart or a new generation.
 */
public record ContainerSpec(TenantId tenant, HostPort port, String startToken) {

    public ContainerSpec {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(startToken, "startToken");
        if (startToken.isBlank()) {
            throw new IllegalArgumentException("startToken: must not be blank");
        }
    }
}
