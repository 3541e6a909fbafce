package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A port given up by {@code tenant} that is not handed out yet, because something may still listen on
 * it: the tenant's {@code task} until the runtime reports it stopped, or, without a task, whatever else
 * was found on the port. {@code since} is when it was held back.
 */
public record HeldPort(HostPort port, TenantId tenant, Optional<TaskId> task, Instant since) {

    public HeldPort {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(since, "since");
    }
}
