package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * A task the runtime has not ended (waiting, running or on its way down), as {@link ContainerRuntime#liveTasks} lists
 * it: the tenant it was started for and, where the runtime kept it, the start token it was started with, which tells
 * the start of the lease's current checkpoint from an older one.
 */
public record LiveTask(TaskId task, TenantId tenant, Optional<String> startToken) {

    public LiveTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(startToken, "startToken");
    }
}
