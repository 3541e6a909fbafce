package dev.tenantprovisioner.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's persisted record: which port it holds, which task runs it, where the lifecycle stands.
 * The {@code version} guards every write (compare-and-set); the {@code generation} counts how often
 * the tenant was given a port, so that a tenant brought back after deprovisioning gets a fresh
 * container and a fresh welcome email instead of being deduplicated against the old ones.
 */
public record Lease(
        TenantId tenant,
        Optional<Email> email,
        TenantState state,
        Optional<HostPort> port,
        Optional<TaskId> task,
        Optional<Ipv4Address> host,
        NotificationState notification,
        Optional<Instant> notificationClaimedAt,
        Optional<String> failure,
        int generation,
        int restarts,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public Lease {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(notificationClaimedAt, "notificationClaimedAt");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (state.holdsPort() && port.isEmpty()) {
            throw new InvalidValueException("port", "a lease in state " + state + " must hold a port");
        }
        if (!state.holdsPort() && port.isPresent()) {
            throw new InvalidValueException("port", "a lease in state " + state + " holds no port");
        }
        if (state != TenantState.DEPROVISIONED && email.isEmpty()) {
            throw new InvalidValueException("email", "only a tombstone may lack an email");
        }
        if (generation < 0 || restarts < 0 || version < 0) {
            throw new InvalidValueException("version", "generation, restarts and version must not be negative");
        }
    }

    /** A new lease, as a registry creates it when it grants a port. */
    public static Lease granted(TenantId tenant, Email email, HostPort port, int generation, Instant now) {
        return new Lease(tenant, Optional.of(email), TenantState.PORT_ALLOCATED, Optional.of(port), Optional.empty(),
                Optional.empty(), NotificationState.PENDING, Optional.empty(), Optional.empty(),
                generation, 0, 1, now, now);
    }

    /** The tombstone a registry writes when it retires a tenant it never saw. */
    public static Lease tombstone(TenantId tenant, Instant now) {
        return new Lease(tenant, Optional.empty(), TenantState.DEPROVISIONED, Optional.empty(), Optional.empty(),
                Optional.empty(), NotificationState.PENDING, Optional.empty(), Optional.empty(), 0, 0, 1, now, now);
    }

    /** The port, for states that hold one. */
    public HostPort requirePort() {
        return port.orElseThrow(() -> new IllegalStateException("lease of " + tenant + " in " + state + " holds no port"));
    }

    /** A token that is the same for every retry of one start and differs across restarts and generations. */
    public String startToken() {
        return tenant.value() + "-g" + generation + "-r" + restarts;
    }

    /** The idempotency key of this generation's welcome email. */
    public String welcomeKey() {
        return "welcome-" + tenant.value() + "-g" + generation;
    }

    public Lease withState(TenantState next) {
        return new Lease(tenant, email, next, port, task, host, notification, notificationClaimedAt, failure,
                generation, restarts, version, createdAt, updatedAt);
    }

    public Lease withTask(TaskId next) {
        return new Lease(tenant, email, state, port, Optional.of(next), host, notification, notificationClaimedAt,
                failure, generation, restarts, version, createdAt, updatedAt);
    }

    public Lease withHost(Ipv4Address next) {
        return new Lease(tenant, email, state, port, task, Optional.ofNullable(next), notification,
                notificationClaimedAt, failure, generation, restarts, version, createdAt, updatedAt);
    }

    public Lease withNotification(NotificationState next, Optional<Instant> claimedAt) {
        return new Lease(tenant, email, state, port, task, host, next, claimedAt, failure, generation, restarts,
                version, createdAt, updatedAt);
    }

    public Lease withFailure(String reason) {
        return new Lease(tenant, email, state, port, task, host, notification, notificationClaimedAt,
                Optional.ofNullable(reason), generation, restarts, version, createdAt, updatedAt);
    }

    /** Back to {@link TenantState#PORT_ALLOCATED} on the same port, to start a container that stopped. */
    public Lease restarted() {
        return new Lease(tenant, email, TenantState.PORT_ALLOCATED, port, Optional.empty(), Optional.empty(),
                notification, notificationClaimedAt, Optional.empty(), generation, restarts + 1, version, createdAt,
                updatedAt);
    }

    /** What a registry stores after a successful write: the next version, stamped with the time. */
    public Lease stored(Instant now) {
        return new Lease(tenant, email, state, port, task, host, notification, notificationClaimedAt, failure,
                generation, restarts, version + 1, createdAt, now);
    }

    /** The lease as a registry leaves it when it frees the port. */
    public Lease released(TenantState finalState, Optional<String> reason) {
        if (finalState.holdsPort()) {
            throw new IllegalArgumentException(finalState + " is not a released state");
        }
        return new Lease(tenant, email, finalState, Optional.empty(), task, Optional.empty(), notification,
                notificationClaimedAt, reason, generation, restarts, version, createdAt, updatedAt);
    }
}
