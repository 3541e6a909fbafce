package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Owns the tenants' leases and the ports they hold. Every method is atomic on its own: whatever
 * runs concurrently, across threads and processes, a port belongs to at most one tenant and a tenant
 * holds at most one port. A port is in one of three places: held by a lease, held back after a lease
 * gave it up while something may still listen on it ({@link HeldPort}), or free. Failures of the store
 * surface as {@link InfrastructureException}; a compare-and-set that lost as {@link LeaseConflictException}.
 */
public interface PortRegistry {

    /**
     * Gives the tenant a port, or returns what it already has.
     * <ul>
     *   <li>A tenant whose lease holds a port gets that lease back unchanged: a repeat never takes a second port.</li>
     *   <li>A tenant that is {@code DEPROVISIONED} gets its tombstone back unchanged unless {@code revive} is true.</li>
     *   <li>Otherwise (no lease, a {@code FAILED} lease, or a revived tombstone) the lowest free port of the
     *       pool is claimed and a new {@code PORT_ALLOCATED} lease of the next generation is returned.</li>
     * </ul>
     * Held ports are not free. Empty when the pool has no free port; nothing changes then. The answer says whether
     * this call granted the lease: of concurrent calls for one tenant, at most one is told so.
     */
    default Optional<Allocation> grant(TenantId tenant, Email email, boolean revive) {
        return grant(tenant, email, revive, Integer.MAX_VALUE).allocated();
    }

    /**
     * {@link #grant(TenantId, Email, boolean)}, under a limit: a new lease is refused ({@link Grant.AtLimit}, nothing
     * changes) while {@code maxActive} tenants hold a port, counted atomically with the grant itself, so any number of
     * callers in any number of processes never make more than {@code maxActive} tenants hold one. A tenant whose lease
     * holds a port, or a tombstone not revived, gets its lease back as before, whatever the count. A tombstone whose
     * time to live has passed counts as no lease: the tenant gets a new one (of the next generation).
     */
    Grant grant(TenantId tenant, Email email, boolean revive, int maxActive);

    /** {@link #grant}, for callers that need only the lease. */
    default Optional<Lease> allocate(TenantId tenant, Email email, boolean revive) {
        return grant(tenant, email, revive).map(Allocation::lease);
    }

    /**
     * The tenant's lease, tombstones included; empty if the registry never saw the tenant, or if its tombstone's time to
     * live has passed ({@link Lease#forgotten}).
     */
    Optional<Lease> find(TenantId tenant);

    /**
     * Stores {@code next} if the stored lease still has {@code next.version()}, and returns what was
     * stored (version + 1, new {@code updatedAt}). Cannot change the port or generation, nor enter a
     * state without a port: that is {@link #release} and {@link #retire}.
     *
     * @throws LeaseConflictException if the stored version differs or the lease is gone
     * @throws IllegalArgumentException if {@code next} changes what save may not change
     */
    Lease save(Lease next);

    /**
     * Gives up the port of {@code current} and marks the lease {@code FAILED} with the reason, if the stored
     * lease still has {@code current.version()}. With {@code holdPort} the port is held back (with the
     * lease's task, if any) until {@link #freeHeldPort}; otherwise it is free for others on return.
     *
     * @throws LeaseConflictException if the stored version differs
     */
    Lease release(Lease current, String reason, boolean holdPort);

    /**
     * Deprovisions: the lease becomes a {@code DEPROVISIONED} tombstone and gives up its port, whatever
     * state it was in; the port is held back when {@link Lease#portMayBeInUse()}, and free otherwise. A
     * tenant the registry never saw gets a tombstone too, so a late provision for it is refused.
     * Repeating it changes nothing. Returns the lease as it was before, if there was one.
     */
    default Optional<Lease> retire(TenantId tenant) {
        return retire(tenant, Optional.empty());
    }

    /**
     * {@link #retire(TenantId)}, with a time to live: the tombstone is forgotten {@code forgetAfter} after it was written
     * ({@link Lease#forgetAt}; the registry may delete it any time later, and never returns it once it is due). A repeat
     * keeps the first tombstone's time.
     */
    Optional<Lease> retire(TenantId tenant, Optional<java.time.Duration> forgetAfter);

    /** Up to {@code limit} held ports, lowest first. */
    List<HeldPort> heldPorts(int limit);

    /**
     * Frees {@code port} if it is held back for {@code task} (or held without a task, when {@code task} is
     * empty): nothing listens there any more. Returns whether it did; freeing a port that is not held so
     * (free already, held for another task, owned by a lease) changes nothing.
     */
    boolean freeHeldPort(HostPort port, Optional<TaskId> task);

    /** Up to {@code limit} leases, in no particular order. For operators and sweeps, not for the provisioning path. */
    List<Lease> list(int limit);

    /** The pool the registry hands ports from. */
    PortPool pool();

    /**
     * A page of every lease (tombstones included), newest first ({@code createdAt}, then tenant id), however many
     * there are: follow {@link LeasePage#next} to the end.
     *
     * @throws InvalidCursorException if the cursor was not handed out by this registry
     */
    LeasePage page(LeaseQuery query);

    /**
     * A page of the leases that need attention ({@link Lease#needsAttention()}: a provision not yet finished), least
     * recently written first; what a sweep walks, at a cost that follows their number, not the registry's size.
     *
     * @throws InvalidCursorException if the cursor was not handed out by this registry
     */
    LeasePage needingAttention(int limit, java.util.Optional<String> cursor);

    /**
     * Takes one of {@code max} provision slots for {@code tenant}, held for {@code hold} at most: a slot never taken, one
     * released, or one whose holder's time has passed. Empty when all {@code max} are held; nothing changes then. Atomic
     * across callers and processes: never more than {@code max} slots are held at once.
     */
    Optional<ProvisionSlot> takeSlot(TenantId tenant, int max, java.time.Duration hold);

    /** Gives the slot back, if this taking still holds it (one taken anew since, after its time passed, is kept). */
    void releaseSlot(ProvisionSlot slot);
}
