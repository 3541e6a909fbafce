package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciler: compares the registry with what the runtime runs and repairs the drift between them, each repair
 * with its reason. A task no lease names is stopped (a stray, or a tenant deprovisioned or failed meanwhile); a task
 * started for the lease's current start but never recorded (the caller died between the start and its checkpoint) is
 * adopted; a suspended tenant's task that still runs is stopped; a lease whose task the runtime no longer runs is
 * treated as a crash (the runtime is asked about the task first, so a listing that lagged changes nothing); a lease
 * stuck before its container ran for longer than the start deadline is moved on, or failed with the reason it could not
 * be. Run it on the sweep's schedule, and by hand.
 */
public final class ReconcileTenants {

    private static final int PAGE = LeaseQuery.MAX_LIMIT;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;
    private final Workflow workflow;
    private final ProvisioningPolicy policy;
    private final Clock clock;

    public ReconcileTenants(Backends backends, ProvisioningPolicy policy, Clock clock) {
        this.registry = backends.registry();
        this.runtime = backends.runtime();
        this.workflow = new Workflow(backends, policy, clock);
        this.policy = policy;
        this.clock = clock;
    }

    /** What a repair was. */
    public enum Kind {
        /** A task no lease names (or one of a tenant that gave its port up) was stopped. */
        ORPHAN_STOPPED,
        /** A task started for the lease's current start, never recorded, is now the lease's. */
        TASK_ADOPTED,
        /** A suspended tenant's task still ran, and was stopped. */
        SUSPENDED_TASK_STOPPED,
        /** The lease's task is gone from the runtime: handled as a crash (restart policy). */
        LOST_TASK,
        /** A lease stuck before its container ran was moved on. */
        STUCK_FINISHED,
        /** A lease stuck before its container ran was failed, with the reason. */
        STUCK_FAILED
    }

    /** One repair: which kind, for which tenant and task, and why. */
    public record Action(Kind kind, TenantId tenant, Optional<TaskId> task, String reason) {
        public Action {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What a round found and did: live tasks and leases looked at, the repairs, and how many could not be looked at for
     * a failing backend (left for the next round).
     */
    public record Report(int tasks, int leases, List<Action> actions, int stillFailing) {
        public Report {
            actions = List.copyOf(actions);
        }

        public long count(Kind kind) {
            return actions.stream().filter(action -> action.kind() == kind).count();
        }
    }

    /**
     * One round.
     *
     * @throws InfrastructureException if the runtime's tasks cannot be listed: nothing is repaired then
     */
    public Report reconcile() {
        List<LiveTask> tasks = runtime.liveTasks();
        List<Action> actions = new ArrayList<>();
        int failing = 0;
        Set<TaskId> live = new HashSet<>();
        for (LiveTask task : tasks) {
            live.add(task.task());
            try {
                reconcile(task).ifPresent(actions::add);
            } catch (InfrastructureException notNow) {
                failing++;
            } catch (LeaseConflictException movedMeanwhile) {
                // Someone moved the tenant on while we looked: the next round sees where it went.
            }
        }
        int leases = 0;
        Optional<String> cursor = Optional.empty();
        do {
            LeasePage page = registry.page(new LeaseQuery(PAGE, cursor, Optional.empty()));
            for (Lease lease : page.leases()) {
                leases++;
                try {
                    reconcile(lease, live).ifPresent(actions::add);
                } catch (InfrastructureException notNow) {
                    failing++;
                } catch (LeaseConflictException movedMeanwhile) {
                    // As above: a live call got there first.
                }
            }
            cursor = page.next();
        } while (cursor.isPresent());
        return new Report(tasks.size(), leases, actions, failing);
    }

    private Optional<Action> reconcile(LiveTask task) {
        Optional<Lease> found = registry.find(task.tenant());
        Optional<TaskId> id = Optional.of(task.task());
        if (found.isPresent() && found.get().task().equals(id)) {
            Lease lease = found.get();
            if (lease.state() == TenantState.SUSPENDED) {
                runtime.stop(task.task(), task.tenant(), StopReason.SUSPEND);
                return Optional.of(new Action(
                        Kind.SUSPENDED_TASK_STOPPED,
                        task.tenant(),
                        id,
                        "the tenant is suspended, and its task still ran"));
            }
            if (!lease.state().holdsPort()) {
                runtime.stop(task.task(), task.tenant(), StopReason.ORPHANED);
                return Optional.of(new Action(
                        Kind.ORPHAN_STOPPED,
                        task.tenant(),
                        id,
                        "the tenant is " + name(lease.state()) + " and its task still ran"));
            }
            return Optional.empty();
        }
        if (found.isPresent() && found.get().state() == TenantState.PORT_ALLOCATED) {
            Lease lease = found.get();
            if (task.startToken().equals(Optional.of(lease.startToken()))) {
                registry.save(lease.started(task.task(), clock.instant()));
                return Optional.of(new Action(
                        Kind.TASK_ADOPTED,
                        task.tenant(),
                        id,
                        "started for the lease's current start (" + lease.startToken()
                                + ") and never recorded: its caller stopped between the start and its checkpoint"));
            }
            if (task.startToken().isEmpty()) {
                // Cannot tell it from the start in progress: the workflow's own start (same token) settles it.
                return Optional.empty();
            }
        }
        runtime.stop(task.task(), task.tenant(), StopReason.ORPHANED);
        return Optional.of(new Action(Kind.ORPHAN_STOPPED, task.tenant(), id, "no lease names it: " + whose(found)));
    }

    private Optional<Action> reconcile(Lease lease, Set<TaskId> live) {
        boolean started = lease.state() == TenantState.CONTAINER_STARTED || lease.state() == TenantState.RUNNING;
        if (started && lease.task().isPresent() && !live.contains(lease.task().get())) {
            Lease after = workflow.advance(lease, false).lease();
            boolean runsAfterAll =
                    after.state() == TenantState.RUNNING && after.task().equals(lease.task());
            if (after.state() == lease.state() || runsAfterAll) {
                // Listed before it started, or the listing lagged: the runtime says it is there after all (perhaps
                // running by now, a start whose answer said it was not running yet).
                return Optional.empty();
            }
            return Optional.of(new Action(
                    Kind.LOST_TASK,
                    lease.tenant(),
                    lease.task(),
                    "the runtime no longer runs task " + lease.task().get() + ": "
                            + after.failure().orElse("now " + name(after.state()))));
        }
        Instant now = clock.instant();
        boolean beforeRunning =
                lease.state() == TenantState.PORT_ALLOCATED || lease.state() == TenantState.CONTAINER_STARTED;
        if (!beforeRunning || !lease.updatedAt().plus(policy.startDeadline()).isBefore(now)) {
            return Optional.empty();
        }
        String stuck = "stuck " + name(lease.state()) + " since " + lease.updatedAt() + " (longer than "
                + policy.startDeadline().toMinutes() + " min)";
        String why;
        try {
            Lease after = workflow.advance(lease, false).lease();
            if (after.version() != lease.version()) {
                return Optional.of(new Action(
                        Kind.STUCK_FINISHED,
                        lease.tenant(),
                        after.task(),
                        stuck + ": moved on to " + name(after.state())
                                + after.failure()
                                        .map(reason -> " (" + reason + ")")
                                        .orElse("")));
            }
            why = "no progress";
        } catch (InfrastructureException failing) {
            why = failing.getMessage();
        }
        lease.task().ifPresent(task -> runtime.stop(task, lease.tenant(), StopReason.START_DEADLINE));
        Lease failed = registry.release(lease, stuck + ": " + why, lease.portMayBeInUse());
        return Optional.of(new Action(
                Kind.STUCK_FAILED,
                lease.tenant(),
                lease.task(),
                failed.failure().orElseThrow()));
    }

    private static String whose(Optional<Lease> lease) {
        if (lease.isEmpty()) {
            return "the tenant has no lease";
        }
        return "the tenant is " + name(lease.get().state())
                + lease.get().task().map(task -> " with task " + task).orElse(" without a task");
    }

    private static String name(TenantState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
