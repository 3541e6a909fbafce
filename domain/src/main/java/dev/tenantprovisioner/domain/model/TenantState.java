package dev.tenantprovisioner.domain.model;

/**
 * The checkpoints of a tenant's lifecycle, persisted with its lease. A call that dies between two
 * checkpoints is resumed from the last one by the next call for the same tenant.
 *
 * <pre>
 *  (none) ─allocate─▶ PORT_ALLOCATED ─start─▶ CONTAINER_STARTED ─runtime reports─▶ RUNNING
 *                         │ no capacity             │ stopped                         │ stopped
 *                         ▼                         ▼                                 ▼
 *                       FAILED (port freed)       STOPPED (port kept; provision restarts it)
 *  allocated, started, running or stopped ─suspend─▶ SUSPENDED (container stopped; port, link and data kept)
 *  SUSPENDED ─resume (or provision)─▶ PORT_ALLOCATED ─▶ ... the same port, no new email
 *  any ─deprovision─▶ DEPROVISIONED (tombstone, port freed)
 * </pre>
 * Whether the welcome email went out is tracked beside the state, see {@link NotificationState}.
 */
public enum TenantState {
    PORT_ALLOCATED,
    CONTAINER_STARTED,
    RUNNING,
    STOPPED,
    SUSPENDED,
    FAILED,
    DEPROVISIONED;

    /** Whether a lease in this state owns its port. */
    public boolean holdsPort() {
        return this != FAILED && this != DEPROVISIONED;
    }
}
