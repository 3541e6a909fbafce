package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Lease;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a tenant's app has been used (a driven port): the last time traffic to it was seen, for suspending idle
 * tenants. Observed from outside the tenant's image (the runtime's own telemetry, the host's connections), so any
 * image will do.
 */
public interface TrafficMonitor {

    /**
     * The last time the tenant's running container was seen receiving traffic, as far as the monitor knows; empty if
     * it never saw any (the caller then counts from the container's start).
     *
     * @throws InfrastructureException if the source of the observations cannot be read now
     */
    Optional<Instant> lastActivity(Lease lease);

    /**
     * What the monitor knows now, read once for a round over many tenants (a sweep): a source that is costly or held
     * to a low request rate (CloudWatch Logs) is asked here, once, and the answer serves every tenant of the round. By
     * default the monitor itself, asked tenant by tenant.
     *
     * @throws InfrastructureException if the source cannot be read now; the round then suspends nobody
     */
    default TrafficMonitor snapshot() {
        return this;
    }
}
