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
     * Answers {@link StartOutcome.NoCapacity} when nothing could be placed, and {@link StartOutcome.PortInUse}
     * when the port is taken by something else; no container is left behind then. A runtime that queues
     * starts until capacity comes (an ECS capacity provider) answers {@link StartOutcome.Started} and later
     * reports the task {@link ContainerStatus#noCapacity} if room never came.
     */
    StartOutcome start(ContainerSpec spec);

    /** Where the task stands. A task the runtime does not know (any more) is {@link ContainerStatus.Phase#GONE}. */
    ContainerStatus status(TaskId task);

    /**
     * Asks the task to stop, for {@code reason} (a runtime that keeps a stopped task's reason records it). Stopping may
     * finish later (the task reports {@code STOPPED} when it has); stopping a task that has stopped or is unknown
     * succeeds and changes nothing.
     */
    void stop(TaskId task, TenantId tenant, StopReason reason);

    /**
     * Every task this runtime runs for tenants that has not ended (waiting, running, or on its way down but not asked
     * to stop), however many: a runtime that answers in pages reads every page. Tasks that belong to nothing this
     * provisioner started (another service on the same cluster) are not listed. What the reconciler compares the
     * registry with; a task stopped just before the call may still be listed, one started during it may not.
     */
    java.util.List<LiveTask> liveTasks();

    /**
     * Lets go of whatever the runtime keeps for the tenant beyond its tasks (on ECS: the tenant's secret and its own
     * task definition revisions), once the tenant is deprovisioned and its tasks are stopped. Idempotent; a runtime
     * that keeps nothing does nothing.
     */
    default void forget(TenantId tenant) {}
}
