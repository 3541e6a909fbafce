package dev.tenantprovisioner.domain.spi;

/**
 * Why the provisioner asks the runtime to stop a task. A runtime that keeps a reason with a stopped task (ECS's
 * {@code StopTask} {@code reason}, shown later as the task's {@code stoppedReason}) records {@link #text()}, so whoever
 * finds the stopped task later can tell a suspension from a deprovision.
 */
public enum StopReason {
    /** The tenant was deprovisioned. */
    DEPROVISION("tenant deprovisioned"),
    /** The tenant was suspended (billing, idleness, by hand); it keeps its port and link. */
    SUSPEND("tenant suspended"),
    /** The tenant's container is started anew; any task of the old start must not outlive it. */
    RESTART("restarting the tenant's container"),
    /** The task did not run within the start deadline (waiting for capacity); the tenant failed. */
    START_DEADLINE("task did not run within the start deadline"),
    /** The task ran but its link did not answer within the ready deadline; the tenant failed. */
    READY_DEADLINE("link did not answer within the ready deadline"),
    /** The task belongs to no current tenant (started for a lease that moved on, or holding a port given up). */
    ABANDONED("task belongs to no current tenant"),
    /** The reconciler found the task running while no lease names it (a stray, or a tenant that moved on). */
    ORPHANED("reconciler: no lease names this task");

    private final String text;

    StopReason(String text) {
        this.text = text;
    }

    /** A short, plain-ASCII sentence fit for a runtime's reason field. */
    public String text() {
        return text;
    }
}
