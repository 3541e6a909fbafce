package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Crashes;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.Step;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.Readiness;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Drives a lease from checkpoint to checkpoint, as far as it can go now. Every use case that moves a
 * tenant forward goes through here, so a resumed call and a first call take the same path. Each write
 * is a compare-and-set: on a conflict the lease is read again and the decision is made anew.
 */
final class Workflow {

    private static final int MAX_STEPS = 64;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final Mailer mailer;
    private final ProvisioningPolicy policy;
    private final Clock clock;
    private final Optional<TenantDatabases> databases;
    private final Optional<LinkProbe> probe;

    Workflow(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.runtime = backends.runtime();
        this.mailer = backends.mailer();
        this.policy = policy;
        this.clock = clock;
        this.databases = backends.databases();
        this.probe = backends.probe();
    }

    /**
     * Where the lease ended up; {@code noCapacity} holds the runtime's reason if the port was given back for
     * lack of room, {@code portInUse} its reason if the port turned out to be taken by something else.
     */
    /** {@code notRunningYet}: a start the runtime said is not running yet, so not asked about again in this call. */
    record Progress(Lease lease, Optional<String> noCapacity, Optional<String> portInUse, boolean notRunningYet) {
        Progress(Lease lease, Optional<String> noCapacity, Optional<String> portInUse) {
            this(lease, noCapacity, portInUse, false);
        }
    }

    Progress advance(Lease start, boolean restartStopped) {
        Lease lease = start;
        boolean mailAttempted = false;
        boolean observed = false;
        boolean restarted = false;
        boolean announced = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            try {
                if (owesNewLink(lease) && !announced) {
                    // Restarted on another host: its link changed with the host's address, and the tenant is told once.
                    announced = true;
                    lease = announceNewLink(lease);
                    continue;
                }
                if (mayNotify(lease) && !mailAttempted) {
                    mailAttempted = true;
                    Link link = awaitLink(lease);
                    if (link.failed()) {
                        return settled(link.lease());
                    }
                    // Not answering yet: the runtime is still asked below (the task may have stopped meanwhile).
                    lease = link.answered() ? notify(link.lease()) : link.lease();
                    continue;
                }
                switch (lease.state()) {
                    case PORT_ALLOCATED:
                        if (databases.isPresent() && !lease.databaseReady()) {
                            lease = ensureDatabase(databases.get(), lease);
                            continue;
                        }
                        Progress started = startContainer(lease);
                        if (started.noCapacity().isPresent()
                                || started.portInUse().isPresent()) {
                            return started;
                        }
                        lease = started.lease();
                        observed = started.notRunningYet();
                        continue;
                    case CONTAINER_STARTED:
                    case RUNNING:
                        // One look at the runtime per call: it costs a request (DescribeTasks) each time.
                        if (observed) {
                            return settled(lease);
                        }
                        observed = true;
                        Progress seen = observe(lease);
                        if (seen.noCapacity().isPresent() || seen.lease() == lease) {
                            return seen;
                        }
                        lease = seen.lease();
                        continue;
                    case STOPPED:
                        // One restart per call: a task that stops again at once (or a runtime that keeps saying
                        // so) is left STOPPED with its reason for the next call, not restarted in a loop. A restart
                        // the restart policy set for after its backoff goes ahead once it is due, whoever calls.
                        boolean due = lease.restartDue(clock.instant());
                        if ((!restartStopped && !due) || restarted) {
                            return settled(lease);
                        }
                        restarted = true;
                        // The runtime said the task stopped or was gone; if it was wrong (a describe that lagged
                        // behind a start), the old task would outlive the lease. Stopping it is a no-op otherwise.
                        Lease stopped = lease;
                        stopped.task().ifPresent(task -> runtime.stop(task, stopped.tenant(), StopReason.RESTART));
                        lease = registry.save(restartOf(lease, due));
                        continue;
                    default:
                        return settled(lease);
                }
            } catch (LeaseConflictException conflict) {
                lease = reread(lease);
            }
        }
        throw new IllegalStateException("tenant " + lease.tenant() + " did not settle after " + MAX_STEPS + " steps");
    }

    TenantStatus status(Lease lease) {
        return new TenantStatus(lease, policy.accessUrl(lease));
    }

    private Progress settled(Lease lease) {
        return new Progress(lease, Optional.empty(), Optional.empty());
    }

    /**
     * The checkpoint before the first start: the tenant's database for this generation exists. If the lease moved on
     * meanwhile to a state without a port (deprovisioned while we were creating), what we created belongs to nobody
     * and is removed again; the registry's compare-and-set decides, as for a task started too late.
     */
    private Lease ensureDatabase(TenantDatabases tenantDatabases, Lease lease) {
        tenantDatabases.ensure(lease.tenant(), lease.generation());
        try {
            return registry.save(lease.withDatabaseReady());
        } catch (LeaseConflictException conflict) {
            Lease current = reread(lease);
            if (!current.state().holdsPort()) {
                tenantDatabases.remove(lease.tenant(), lease.generation());
            }
            return current;
        }
    }

    private Progress startContainer(Lease lease) {
        String token = lease.startToken();
        ContainerSpec spec = new ContainerSpec(lease.tenant(), lease.requirePort(), token);
        if (databases.isPresent()) {
            spec = spec.withDatabase(databases.get().access(lease.tenant(), lease.generation()));
        }
        StartOutcome outcome = runtime.start(spec);
        if (outcome instanceof StartOutcome.NoCapacity noCapacity) {
            return failForCapacity(lease, noCapacity.reason(), false);
        }
        if (outcome instanceof StartOutcome.PortInUse inUse) {
            // Whatever holds the port may go away; until then, hand out other ports instead of this one again.
            Lease failed =
                    registry.release(lease, "port " + lease.requirePort() + " is in use: " + inUse.reason(), true);
            return new Progress(failed, Optional.empty(), Optional.of(inUse.reason()));
        }
        StartOutcome.Started started = (StartOutcome.Started) outcome;
        TaskId task = started.task();
        try {
            return new Progress(
                    registry.save(lease.started(task, clock.instant())),
                    Optional.empty(),
                    Optional.empty(),
                    started.notRunningYet());
        } catch (LeaseConflictException conflict) {
            Lease current = reread(lease);
            boolean stillWanted = current.task().equals(Optional.of(task))
                    || (current.state() == TenantState.PORT_ALLOCATED
                            && current.startToken().equals(token));
            if (!stillWanted) {
                // Deprovisioned (or moved on) while we were starting: the task we just got belongs to nobody.
                runtime.stop(task, lease.tenant(), StopReason.ABANDONED);
            }
            return settled(current);
        }
    }

    /** Asks the runtime where the task stands and records a change; returns the same lease if nothing changed. */
    private Progress observe(Lease lease) {
        TaskId task = lease.task().orElseThrow();
        ContainerStatus status = runtime.status(task);
        switch (status.phase()) {
            case RUNNING:
                Lease running = lease.withState(TenantState.RUNNING)
                        .withHost(status.host().or(lease::host).orElse(null));
                return settled(running.equals(lease) ? lease : registry.save(running));
            case PENDING:
                if (lease.state() == TenantState.CONTAINER_STARTED && pastStartDeadline(lease)) {
                    // Waiting for a host with room (a capacity provider scaling out) for longer than the tenant should
                    // wait: the task is stopped, and its port held back in case it starts after all.
                    runtime.stop(task, lease.tenant(), StopReason.START_DEADLINE);
                    return failForCapacity(
                            lease,
                            "the task did not run within "
                                    + policy.startDeadline().toMinutes() + " min (last status "
                                    + status.reason().orElse("pending") + ")",
                            true);
                }
                return settled(lease);
            case STOPPING:
                // Not over yet: the lease moves on once the runtime reports the task stopped, not before, so a
                // restart never races the old task for the port.
                return settled(lease);
            default:
                if (status.startAgain()
                        && lease.state() == TenantState.CONTAINER_STARTED
                        && startsAgain(lease) < MAX_STARTS_AGAIN) {
                    // It never ran, for want of something that comes a moment later (a secret not readable yet):
                    // started anew on its port, a few times at most, rather than left stopped or failed.
                    String why = START_AGAIN + status.reason().orElse("no reason given");
                    return settled(registry.save(lease.restarted().withFailure(why)));
                }
                if (status.noCapacity() && lease.state() == TenantState.CONTAINER_STARTED) {
                    // Stopped before it ever ran: the port is free at once, and a later provision tries again.
                    return failForCapacity(lease, status.reason().orElse("no host had room"), false);
                }
                String reason = status.reason()
                        .orElse(
                                status.phase() == ContainerStatus.Phase.GONE
                                        ? "task unknown to the runtime"
                                        : "no reason given");
                if (policy.restarts().restarts(status) && !stoppedByUs(status)) {
                    // Stopped without being asked: the restart policy's. A stop of ours seen before the lease moved on
                    // (a deprovision stops the task first, then retires the lease) is no crash.
                    return crashed(lease, reason);
                }
                return settled(registry.save(
                        lease.withState(TenantState.STOPPED).withFailure("container stopped: " + reason)));
        }
    }

    /** Whether the runtime kept one of the provisioner's own reasons with the stopped task (StopTask's reason). */
    private static boolean stoppedByUs(ContainerStatus status) {
        return status.reason()
                .filter(reason ->
                        java.util.Arrays.stream(StopReason.values()).anyMatch(ours -> reason.contains(ours.text())))
                .isPresent();
    }

    /**
     * The container stopped without being asked: started again on its port after the backoff for this crash of the
     * window, or, past the most restarts the window allows, the tenant fails (a crash loop; its task is gone, so its port
     * is free) and a provision or resume starts it afresh.
     */
    private Progress crashed(Lease lease, String reason) {
        RestartPolicy restarts = policy.restarts();
        Instant now = clock.instant();
        Crashes streak = Crashes.after(lease.crashes(), now, restarts.window());
        if (streak.count() > restarts.maxRestarts()) {
            Lease failed = registry.release(
                    lease.withCrashes(streak),
                    CRASH_LOOP + "the container stopped " + streak.count() + " times within "
                            + describe(restarts.window()) + " (at most " + restarts.maxRestarts()
                            + " restarts); last: " + reason,
                    false);
            return settled(failed);
        }
        // The restart's number and time are the lease's (crashes), shown with it; its step says which attempt it is.
        Duration pause = restarts.backoffAfter(streak.count());
        return settled(registry.save(lease.withState(TenantState.STOPPED)
                .withFailure("container stopped: " + reason)
                .withCrashes(streak.restartingAt(now.plus(pause)))));
    }

    /**
     * The lease back at its port's first checkpoint, to start a container anew: a start the restart policy set is no
     * longer due, and the host the tenant was last told of is remembered (the start may land on another).
     */
    private Lease restartOf(Lease lease, boolean due) {
        Lease next = lease.restarted();
        if (next.announcedHost().isEmpty() && lease.host().isPresent()) {
            // A lease whose welcome went out before the host was recorded with it; a pending welcome records its own.
            next = next.withAnnouncedHost(lease.host().get());
        }
        if (due) {
            // The restarting step says which attempt this is, after how long, and why, in the timeline.
            Crashes streak = lease.crashes().orElseThrow();
            next = next.withFailure(
                    "restart " + streak.count() + " of " + policy.restarts().maxRestarts()
                            + " after " + describe(policy.restarts().backoffAfter(streak.count())) + ": "
                            + lease.failure().orElse("the container stopped"));
        }
        return next;
    }

    /** Whether a running tenant is owed an email with its link, because it runs on another host than it was told. */
    private boolean owesNewLink(Lease lease) {
        return policy.notifiesHere()
                && lease.hostChangedSinceAnnounced()
                && lease.email().isPresent();
    }

    /**
     * Tells the tenant its new link, once it answers, with an idempotency key of its own per address (a repeat, in any
     * process, delivers one message); where the link does not name the host (a fixed public host, an own domain) there
     * is nothing to tell, and the new host is only recorded.
     */
    private Lease announceNewLink(Lease lease) {
        Ipv4Address host = lease.host().orElseThrow();
        AccessUrl before = policy.urlFormat()
                .format(
                        lease.tenant(),
                        policy.publicHost().orElse(lease.announcedHost().orElseThrow()),
                        lease.requirePort());
        Optional<AccessUrl> link = policy.accessUrl(lease);
        if (link.isEmpty() || link.get().equals(before)) {
            return registry.save(lease.withAnnouncedHost(host));
        }
        if (probe.isPresent() && !(probe.get().probe(link.get(), policy.linkHost(lease)) instanceof Readiness.Ready)) {
            // Not answering yet: the lease still needs attention, and a later call (an event, the sweep) tells it.
            return lease;
        }
        String key = "link-" + lease.tenant().value() + "-g" + lease.generation() + "-" + host.dashed();
        try {
            mailer.sendWelcome(new WelcomeEmail(lease.tenant(), lease.email().orElseThrow(), link.get(), key));
        } catch (InfrastructureException failure) {
            if (failure.retryable()) {
                return lease;
            }
            return registry.save(lease.withAnnouncedHost(host)
                    .noted(new Step(
                            "new link email refused",
                            clock.instant(),
                            Optional.of(link.get() + ": " + failure.getMessage()))));
        }
        return registry.save(lease.withAnnouncedHost(host)
                .noted(new Step(
                        "new link emailed",
                        clock.instant(),
                        Optional.of(link.get().toString()))));
    }

    private static final String START_AGAIN = "started again: the task stopped before it ran: ";
    /** How a tenant failed for a crash loop says so; a resume starts such a tenant afresh. */
    static final String CRASH_LOOP = "crash loop: ";

    private static final int MAX_STARTS_AGAIN = 3;

    /** How many times in a row the tenant's task was started again for a reason that passes (its recent timeline). */
    private static int startsAgain(Lease lease) {
        int count = 0;
        java.util.ListIterator<Step> steps =
                lease.timeline().listIterator(lease.timeline().size());
        while (steps.hasPrevious()) {
            Step step = steps.previous();
            if (step.name().equals("restarting")
                    && step.detail()
                            .filter(detail -> detail.startsWith(START_AGAIN))
                            .isPresent()) {
                count++;
            } else if (!step.name().equals("started")) {
                break;
            }
        }
        return count;
    }

    private boolean pastStartDeadline(Lease lease) {
        // Leases written before startedAt was recorded fall back to their last write, which was the start.
        Instant startedAt = lease.startedAt().orElse(lease.updatedAt());
        return startedAt.plus(policy.startDeadline()).isBefore(clock.instant());
    }

    private Progress failForCapacity(Lease lease, String reason, boolean holdPort) {
        Lease failed = registry.release(lease, "no capacity: " + reason, holdPort);
        return new Progress(failed, Optional.of(reason), Optional.empty());
    }

    /** What asking the link came to: it answered, or not yet (the lease says why), or never will (failed). */
    private record Link(Lease lease, boolean answered, boolean failed) {}

    /**
     * Before the email of a running tenant, where a probe is set: the link must answer. Not yet: the email stays
     * pending for a later call, and the lease says what the link answered. Past the deadline the tenant fails with
     * that reason, its task is stopped and its port held back until the task is gone; a later provision starts
     * afresh.
     */
    private Link awaitLink(Lease lease) {
        if (probe.isEmpty() || lease.state() != TenantState.RUNNING) {
            return new Link(lease, true, false);
        }
        AccessUrl link = policy.accessUrl(lease).orElseThrow();
        Readiness answer = probe.get().probe(link, policy.linkHost(lease));
        if (answer instanceof Readiness.Ready) {
            return new Link(lease, true, false);
        }
        String reason = ((Readiness.NotReady) answer).reason();
        Instant since = lease.runningSince().orElse(lease.updatedAt());
        if (!since.plus(policy.readyDeadline()).isBefore(clock.instant())) {
            String waiting = "waiting for " + link + " to answer: " + reason;
            Lease recorded =
                    lease.failure().equals(Optional.of(waiting)) ? lease : registry.save(lease.withFailure(waiting));
            return new Link(recorded, false, false);
        }
        lease.task().ifPresent(task -> runtime.stop(task, lease.tenant(), StopReason.READY_DEADLINE));
        Lease failed = registry.release(
                lease,
                "not ready: " + link + " did not answer within " + describe(policy.readyDeadline()) + " (" + reason
                        + ")",
                true);
        return new Link(failed, false, true);
    }

    /** A duration as the timeline and reasons give it: whole minutes as "N min", else seconds. */
    static String describe(java.time.Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    private boolean mayNotify(Lease lease) {
        if (!policy.notifiesHere()) {
            return false;
        }
        boolean stateAllows = lease.state() == TenantState.RUNNING
                || (lease.state() == TenantState.CONTAINER_STARTED
                        && policy.notifyWhen() == NotificationPolicy.WHEN_STARTED);
        if (!stateAllows || lease.email().isEmpty() || !policy.canLink(lease)) {
            return false;
        }
        if (lease.notification() == NotificationState.PENDING) {
            return true;
        }
        // A claim whose holder died is taken over; the idempotency key keeps the provider from sending twice.
        return lease.notification() == NotificationState.SENDING
                && lease.notificationClaimedAt()
                        .map(at -> at.plus(policy.notificationClaimTimeout()).isBefore(clock.instant()))
                        .orElse(true);
    }

    private Lease notify(Lease lease) {
        Lease claimed = registry.save(lease.withNotification(NotificationState.SENDING, Optional.of(clock.instant())));
        WelcomeEmail email = new WelcomeEmail(
                claimed.tenant(),
                claimed.email().orElseThrow(),
                policy.accessUrl(claimed).orElseThrow(),
                claimed.welcomeKey());
        try {
            mailer.sendWelcome(email);
        } catch (InfrastructureException failure) {
            if (failure.retryable()) {
                return settleNotification(
                        claimed, NotificationState.PENDING, "welcome email pending: " + failure.getMessage());
            }
            return settleNotification(
                    claimed, NotificationState.FAILED, "welcome email refused: " + failure.getMessage());
        }
        return settleNotification(claimed, NotificationState.SENT, null);
    }

    /** Records how our send ended, unless someone else has settled it since. */
    private Lease settleNotification(Lease claimed, NotificationState outcome, String failure) {
        Lease lease = claimed;
        for (int attempt = 0; attempt < MAX_STEPS; attempt++) {
            if (lease.notification() != NotificationState.SENDING
                    || lease.generation() != claimed.generation()
                    || !lease.state().holdsPort()) {
                return lease;
            }
            try {
                Lease next = lease.withNotification(outcome, Optional.empty());
                if (outcome == NotificationState.SENT && claimed.host().isPresent()) {
                    // The host whose address the email carried: a restart on another host is told later.
                    next = next.withAnnouncedHost(claimed.host().get());
                }
                return registry.save(failure == null ? next.withFailure(null) : next.withFailure(failure));
            } catch (LeaseConflictException conflict) {
                lease = reread(lease);
            }
        }
        throw new IllegalStateException("could not record the welcome email of " + claimed.tenant());
    }

    private Lease reread(Lease lease) {
        return registry.find(lease.tenant())
                .orElseThrow(
                        () -> new IllegalStateException("lease of " + lease.tenant() + " vanished from the registry"));
    }
}
