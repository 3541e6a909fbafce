package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;

/**
 * Runs tenants' containers. Failures of the runtime itself surface as {@link InfrastructureException}
 * ({@code retryable} for throttling and outages, not for a wrong configuration).
 */
public interface ContainerRuntime {

    /**
     * Starts the tenant's container listening on {@code spec.port()}. Calling it again with the same
     * {@code spec.startToken()} returns the task of the first call: it never starts a second container.
     * Answers {@link StartOutcome.NoCapacity} when nothing could be placed; no container is left behind then.
     */
    StartOutcome start(ContainerSpec spec);

    /** Where the task stands. A task the runtime does not know (any more) is {@link ContainerStatus.Phase#GONE}. */
    ContainerStatus status(TaskId task);

    /** Stops the task. Stopping a task that has stopped or is unknown succeeds and changes nothing. */
    void stop(TaskId task, TenantId tenant);
}
