package dev.tenantprovisioner.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's persisted record: which port it holds, which task runs it, where the lifecycle stands.
 * The {@code version} guards every write (compare-and-set) and never repeats for a tenant, across generations
 * too, so a copy read before a deprovision and a revival can never pass for the new lease; the {@code generation}
 * counts how often
 * the tenant was given a port, so that a tenant brought back after deprovisioning gets a fresh
 * container and a fresh welcome email instead of being deduplicated against the old ones.
 * {@code startedAt} is when the current task was started, the start of its deadline to run.
 * {@code databaseReady} is the checkpoint of the tenant's own database: ensured for this generation before its
 * container first starts (only where tenant databases are configured). {@code billing} links the tenant to its
 * payment provider's customer and subscription, when a payment made it. {@code crashes} counts the times its container
 * stopped without being asked within the restart window, and says when the next start is due while one waits for its
 * backoff. {@code announcedHost} is the host whose address the last email carried (the welcome, or a new link after a
 * restart elsewhere). {@code forgetAt} is when a tombstone is forgotten (its time to live). {@code sleeping} marks a tenant suspended for
 * idleness, which the next visit to its link wakes (a tenant suspended for billing or by hand is not).
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
        Instant updatedAt,
        Optional<Instant> startedAt,
        boolean databaseReady,
        Optional<Billing> billing,
        List<Step> timeline,
        boolean sleeping,
        Optional<Crashes> crashes,
        Optional<Ipv4Address> announcedHost,
        Optional<Instant> forgetAt) {

    /**
     * Whether a sweep should look at this lease: a provision not finished (a port but no running container yet, or a
     * running one whose welcome email has not settled).
     */
    public boolean needsAttention() {
        return state == TenantState.PORT_ALLOCATED
                || state == TenantState.CONTAINER_STARTED
                || (state == TenantState.RUNNING
                        && (notification == NotificationState.PENDING || notification == NotificationState.SENDING))
                || restartPending()
                || hostChangedSinceAnnounced();
    }

    /** Whether the container stopped without being asked and a start waits for its backoff (see {@link #crashes}). */
    public boolean restartPending() {
        return state == TenantState.STOPPED
                && crashes.flatMap(Crashes::restartAt).isPresent();
    }

    /** Whether a start waiting for its backoff is due at {@code now}. */
    public boolean restartDue(Instant now) {
        return restartPending()
                && !crashes.flatMap(Crashes::restartAt).orElseThrow().isAfter(now);
    }

    /**
     * Whether the tenant runs on another host than the one its last email named (a restart landed elsewhere): its link
     * may have changed, and the tenant may need telling.
     */
    public boolean hostChangedSinceAnnounced() {
        return state == TenantState.RUNNING
                && notification == NotificationState.SENT
                && host.isPresent()
                && announcedHost.isPresent()
                && !host.equals(announcedHost);
    }

    /** Whether this is a tombstone whose time to live has passed at {@code now}: it is to be treated as gone. */
    public boolean forgotten(Instant now) {
        return state == TenantState.DEPROVISIONED
                && forgetAt.isPresent()
                && !forgetAt.get().isAfter(now);
    }

    /**
     * This lease's place in listings: its creation time (fixed width, so text order is time order), then its tenant.
     * Listings run newest first, so in descending order of this key.
     */
    public String createdOrder() {
        return order(createdAt);
    }

    /** This lease's place in the sweep's walk: its last write, then its tenant; least recent first. */
    public String updatedOrder() {
        return order(updatedAt);
    }

    private String order(Instant at) {
        return String.format(java.util.Locale.ROOT, "%012d%09d|%s", at.getEpochSecond(), at.getNano(), tenant.value());
    }

    /** When the lease last turned {@code RUNNING}, as its timeline recorded it; empty in any other state. */
    public Optional<Instant> runningSince() {
        if (state != TenantState.RUNNING) {
            return Optional.empty();
        }
        for (int i = timeline.size() - 1; i >= 0; i--) {
            Step step = timeline.get(i);
            if (!MAIL_STEPS.contains(step.name())) {
                return step.name().equals("running") ? Optional.of(step.at()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The most steps a lease keeps: the oldest go first. */
    public static final int MAX_STEPS = 24;

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
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(billing, "billing");
        Objects.requireNonNull(crashes, "crashes");
        Objects.requireNonNull(announcedHost, "announcedHost");
        Objects.requireNonNull(forgetAt, "forgetAt");
        timeline = List.copyOf(timeline);
        if (state.holdsPort() && port.isEmpty()) {
            throw new InvalidValueException("port", "a lease in state " + state + " must hold a port");
        }
        if (!state.holdsPort() && port.isPresent()) {
            throw new InvalidValueException("port", "a lease in state " + state + " holds no port");
        }
        if (state != TenantState.DEPROVISIONED && email.isEmpty()) {
            throw new InvalidValueException("email", "only a tombstone may lack an email");
        }
        if (sleeping && state != TenantState.SUSPENDED) {
            throw new InvalidValueException("sleeping", "only a suspended lease can be asleep, not one in " + state);
        }
        if (generation < 0 || restarts < 0 || version < 0) {
            throw new InvalidValueException("version", "generation, restarts and version must not be negative");
        }
    }

    /**
     * A new lease, as a registry creates it when it grants a port: the tenant's first, or the next after
     * {@code previous} (a failed or deprovisioned lease), whose generation and version it goes on from.
     */
    public static Lease granted(TenantId tenant, Email email, HostPort port, Optional<Lease> previous, Instant now) {
        return new Builder(tenant, TenantState.PORT_ALLOCATED, now)
                .email(email)
                .port(port)
                .generation(previous.map(lease -> lease.generation + 1).orElse(1))
                .version(previous.map(lease -> lease.version + 1).orElse(1L))
                .timeline(appended(
                        previous.map(Lease::timeline).orElse(List.of()),
                        new Step("allocated", now, Optional.of("port " + port))))
                .build();
    }

    /** The tombstone a registry writes when it retires a tenant it never saw. */
    public static Lease tombstone(TenantId tenant, Instant now) {
        return new Builder(tenant, TenantState.DEPROVISIONED, now)
                .generation(0)
                .timeline(List.of(new Step("deprovisioned", now, Optional.of("retired before it was ever seen"))))
                .build();
    }

    /** The one way to change a lease: a builder holding a copy of every field. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The port, for states that hold one. */
    public HostPort requirePort() {
        return port.orElseThrow(
                () -> new IllegalStateException("lease of " + tenant + " in " + state + " holds no port"));
    }

    /** A token that is the same for every retry of one start and differs across restarts and generations. */
    public String startToken() {
        return tenant.value() + "-g" + generation + "-r" + restarts;
    }

    /** The idempotency key of this generation's welcome email. */
    public String welcomeKey() {
        return "welcome-" + tenant.value() + "-g" + generation;
    }

    /**
     * Whether something may still listen on this lease's port: it holds one, a task was started on it, and
     * the runtime has not reported that task stopped. Such a port is held back when the lease gives it up,
     * until the task is gone.
     */
    public boolean portMayBeInUse() {
        return state.holdsPort() && task.isPresent() && state != TenantState.STOPPED;
    }

    /**
     * What a registry checks before {@code save}: the lease must still hold a port (leaving one is release or
     * retire, never save).
     *
     * @throws IllegalArgumentException naming the tenant and the state it may not be saved in
     */
    public void requireSavable() {
        if (!state.holdsPort()) {
            throw new IllegalArgumentException(
                    "save may not move " + tenant + " to " + state + "; use release or retire");
        }
    }

    /**
     * What a registry checks before storing this lease over {@code stored}, the same version: a save never changes
     * the port or the generation.
     */
    public void requireSameSlotAs(Lease stored) {
        if (!stored.port.equals(port) || stored.generation != generation) {
            throw new IllegalArgumentException("save may not change the port or generation of " + tenant);
        }
    }

    /** What a registry checks before {@code release}: there is a port to give up. */
    public void requireReleasable() {
        if (!state.holdsPort()) {
            throw new IllegalArgumentException("lease of " + tenant + " holds no port to release");
        }
    }

    public Lease withState(TenantState next) {
        return toBuilder().state(next).build();
    }

    public Lease withTask(TaskId next) {
        return toBuilder().task(next).build();
    }

    public Lease withHost(Ipv4Address next) {
        return toBuilder().host(next).build();
    }

    public Lease withNotification(NotificationState next, Optional<Instant> claimedAt) {
        return toBuilder()
                .notification(next)
                .notificationClaimedAt(claimedAt.orElse(null))
                .build();
    }

    public Lease withFailure(String reason) {
        return toBuilder().failure(reason).build();
    }

    /** The task just started at {@code now}: it runs on this lease's port from now on. */
    public Lease started(TaskId next, Instant now) {
        return toBuilder()
                .state(TenantState.CONTAINER_STARTED)
                .task(next)
                .startedAt(now)
                .failure(null)
                .build();
    }

    /**
     * Back to {@link TenantState#PORT_ALLOCATED} on the same port, to start a container that stopped. The host is kept
     * as the last known one, so the tenant's link and the proxy's route stay where they were while the new container
     * starts; the runtime's report of the new task updates it if the task runs elsewhere.
     */
    public Lease restarted() {
        return toBuilder()
                .state(TenantState.PORT_ALLOCATED)
                .task(null)
                .failure(null)
                .startedAt(null)
                .restarts(restarts + 1)
                .sleeping(false)
                // Whoever starts it anew (a due restart, a resume, a wake), no start is due any more.
                .crashes(crashes.map(Crashes::started).orElse(null))
                .build();
    }

    /** The lease with its crash streak (see {@link #crashes}); {@code null} clears it. */
    public Lease withCrashes(Crashes next) {
        return toBuilder().crashes(next).build();
    }

    /** The lease as the tenant was last told of it: the email just sent named {@code next}'s address. */
    public Lease withAnnouncedHost(Ipv4Address next) {
        return toBuilder().announcedHost(next).build();
    }

    /** The lease with one more step in its timeline, for an event that is no change of state (a new link emailed). */
    public Lease noted(Step step) {
        return toBuilder().timeline(appended(timeline, step)).build();
    }

    /** A tombstone that is forgotten at {@code at} (its time to live); only a tombstone has one. */
    public Lease forgottenAt(Instant at) {
        if (state != TenantState.DEPROVISIONED) {
            throw new IllegalArgumentException("only a tombstone is forgotten, not a lease in " + state);
        }
        return toBuilder().forgetAt(at).build();
    }

    /** The lease linked to its billing, as of the billing event just applied. */
    public Lease withBilling(Billing next) {
        return toBuilder().billing(next).build();
    }

    /**
     * The lease suspended: the container is to be stopped (the task stays named until it has), the port, link and
     * data are kept; {@code reason} says why. Only a resume brings it back.
     */
    public Lease suspended(String reason) {
        return toBuilder()
                .state(TenantState.SUSPENDED)
                .failure("suspended: " + reason)
                .sleeping(false)
                .build();
    }

    /** The lease suspended for idleness ({@link #suspended}, and the next visit to its link wakes it). */
    public Lease asleep(String reason) {
        return toBuilder()
                .state(TenantState.SUSPENDED)
                .failure("asleep: " + reason + "; a visit to its link wakes it")
                .sleeping(true)
                .build();
    }

    /** The lease with the tenant's database ensured for this generation (the checkpoint before the first start). */
    public Lease withDatabaseReady() {
        return toBuilder().databaseReady(true).build();
    }

    /**
     * What a registry stores after a successful write: the next version, stamped with the time, and the step it made
     * added to the timeline (a new state; the welcome email sent or refused, once per generation).
     */
    public Lease stored(Instant now) {
        List<Step> steps = timeline;
        String stateStep = stateStep();
        if (!stateStep.equals(lastStateStep())) {
            steps = appended(steps, new Step(stateStep, now, failure));
        }
        Optional<String> mailStep = notification == NotificationState.SENT
                ? Optional.of("emailed")
                : notification == NotificationState.FAILED ? Optional.of("email failed") : Optional.empty();
        if (mailStep.isPresent() && !mailedThisGeneration(steps)) {
            steps = appended(steps, new Step(mailStep.get(), now, Optional.empty()));
        }
        return toBuilder().version(version + 1).updatedAt(now).timeline(steps).build();
    }

    private String stateStep() {
        switch (state) {
            case PORT_ALLOCATED:
                return restarts > 0 ? "restarting" : "allocated";
            case CONTAINER_STARTED:
                return "started";
            default:
                return state.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final java.util.Set<String> MAIL_STEPS = java.util.Set.of("emailed", "email failed");

    private String lastStateStep() {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            if (!MAIL_STEPS.contains(timeline.get(i).name())) {
                return timeline.get(i).name();
            }
        }
        return "";
    }

    /** Whether a mail step follows the generation's {@code allocated} step (a restart sends no second email). */
    private static boolean mailedThisGeneration(List<Step> steps) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            String name = steps.get(i).name();
            if (MAIL_STEPS.contains(name)) {
                return true;
            }
            if (name.equals("allocated")) {
                return false;
            }
        }
        return false;
    }

    private static List<Step> appended(List<Step> steps, Step step) {
        List<Step> next = new java.util.ArrayList<>(steps);
        next.add(step);
        return List.copyOf(next.subList(Math.max(0, next.size() - MAX_STEPS), next.size()));
    }

    /**
     * The lease as a registry leaves it when it frees the port. A tombstone ({@code DEPROVISIONED}) keeps no email
     * address: the tenant is gone, and its address is personal data nobody needs any more.
     */
    public Lease released(TenantState finalState, Optional<String> reason) {
        if (finalState.holdsPort()) {
            throw new IllegalArgumentException(finalState + " is not a released state");
        }
        Builder released = toBuilder()
                .state(finalState)
                .port(null)
                .host(null)
                .failure(reason.orElse(null))
                .sleeping(false);
        if (finalState == TenantState.DEPROVISIONED) {
            released.email(null).announcedHost(null).crashes(null);
        }
        return released.build();
    }

    /** A mutable copy of a lease; {@link #build} checks it like any other lease. Absent values are {@code null}. */
    public static final class Builder {
        private final TenantId tenant;
        private Email email;
        private TenantState state;
        private HostPort port;
        private TaskId task;
        private Ipv4Address host;
        private NotificationState notification = NotificationState.PENDING;
        private Instant notificationClaimedAt;
        private String failure;
        private int generation;
        private int restarts;
        private long version = 1;
        private final Instant createdAt;
        private Instant updatedAt;
        private Instant startedAt;
        private boolean databaseReady;
        private Billing billing;
        private List<Step> timeline = List.of();
        private boolean sleeping;
        private Crashes crashes;
        private Ipv4Address announcedHost;
        private Instant forgetAt;

        private Builder(TenantId tenant, TenantState state, Instant now) {
            this.tenant = tenant;
            this.state = state;
            this.createdAt = now;
            this.updatedAt = now;
        }

        private Builder(Lease lease) {
            this.tenant = lease.tenant;
            this.email = lease.email.orElse(null);
            this.state = lease.state;
            this.port = lease.port.orElse(null);
            this.task = lease.task.orElse(null);
            this.host = lease.host.orElse(null);
            this.notification = lease.notification;
            this.notificationClaimedAt = lease.notificationClaimedAt.orElse(null);
            this.failure = lease.failure.orElse(null);
            this.generation = lease.generation;
            this.restarts = lease.restarts;
            this.version = lease.version;
            this.createdAt = lease.createdAt;
            this.updatedAt = lease.updatedAt;
            this.startedAt = lease.startedAt.orElse(null);
            this.databaseReady = lease.databaseReady;
            this.billing = lease.billing.orElse(null);
            this.timeline = lease.timeline;
            this.sleeping = lease.sleeping;
            this.crashes = lease.crashes.orElse(null);
            this.announcedHost = lease.announcedHost.orElse(null);
            this.forgetAt = lease.forgetAt.orElse(null);
        }

        /** Every field of a stored lease, as an adapter reads it back; start from {@link #restore}. */
        public static Builder restore(TenantId tenant, TenantState state, Instant createdAt) {
            return new Builder(tenant, state, createdAt);
        }

        public Builder email(Email value) {
            this.email = value;
            return this;
        }

        public Builder state(TenantState value) {
            this.state = value;
            return this;
        }

        public Builder port(HostPort value) {
            this.port = value;
            return this;
        }

        public Builder task(TaskId value) {
            this.task = value;
            return this;
        }

        public Builder host(Ipv4Address value) {
            this.host = value;
            return this;
        }

        public Builder notification(NotificationState value) {
            this.notification = value;
            return this;
        }

        public Builder notificationClaimedAt(Instant value) {
            this.notificationClaimedAt = value;
            return this;
        }

        public Builder failure(String value) {
            this.failure = value;
            return this;
        }

        public Builder generation(int value) {
            this.generation = value;
            return this;
        }

        public Builder restarts(int value) {
            this.restarts = value;
            return this;
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            this.startedAt = value;
            return this;
        }

        public Builder databaseReady(boolean value) {
            this.databaseReady = value;
            return this;
        }

        public Builder billing(Billing value) {
            this.billing = value;
            return this;
        }

        public Builder timeline(List<Step> value) {
            this.timeline = value;
            return this;
        }

        public Builder sleeping(boolean value) {
            this.sleeping = value;
            return this;
        }

        public Builder crashes(Crashes value) {
            this.crashes = value;
            return this;
        }

        public Builder announcedHost(Ipv4Address value) {
            this.announcedHost = value;
            return this;
        }

        public Builder forgetAt(Instant value) {
            this.forgetAt = value;
            return this;
        }

        public Lease build() {
            return new Lease(
                    tenant,
                    Optional.ofNullable(email),
                    state,
                    Optional.ofNullable(port),
                    Optional.ofNullable(task),
                    Optional.ofNullable(host),
                    notification,
                    Optional.ofNullable(notificationClaimedAt),
                    Optional.ofNullable(failure),
                    generation,
                    restarts,
                    version,
                    createdAt,
                    updatedAt,
                    Optional.ofNullable(startedAt),
                    databaseReady,
                    Optional.ofNullable(billing),
                    timeline,
                    sleeping,
                    Optional.ofNullable(crashes),
                    Optional.ofNullable(announcedHost),
                    Optional.ofNullable(forgetAt));
        }
    }
}
