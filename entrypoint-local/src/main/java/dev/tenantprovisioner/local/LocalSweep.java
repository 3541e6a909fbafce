package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.local.ProcessContainerRuntime;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.ReconcileLog;
import dev.tenantprovisioner.http.RequestLog;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the schedule and ECS's task events do on AWS, for tenants that are local processes: a process that ends without
 * being asked is observed at once (the runtime's exit hook, as ECS's task state change), so its restart is set; every
 * {@link #EVERY} the sweep starts what is due and finishes what callers left; every {@link #RECONCILE_EVERY} the
 * reconciler compares the registry with the processes. One thread does all of it, one thing at a time.
 */
final class LocalSweep implements AutoCloseable {

    /** How often due restarts are started: a killed tenant answers again within its backoff and a second or two. */
    static final Duration EVERY = Duration.ofSeconds(1);

    static final Duration RECONCILE_EVERY = Duration.ofSeconds(30);

    /** Leases written this recently are left to the call that wrote them (a restart that is due is not). */
    private static final Duration IDLE_FOR = Duration.ofSeconds(2);

    private final ScheduledExecutorService thread;

    private LocalSweep(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    static LocalSweep start(
            ProcessContainerRuntime runtime,
            ObserveTask observe,
            ResumeStalledTenants sweep,
            ReconcileTenants reconcile,
            int limit,
            LogOutput log) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "local-sweep");
            named.setDaemon(true);
            return named;
        });
        runtime.onExit((tenant, task) -> thread.execute(() -> quietly(
                "observe " + task, () -> observed(observe, new ObserveTask.TaskChange(tenant, task), "STOPPED", log))));
        runtime.onRunning((tenant, task) -> thread.execute(() -> quietly(
                "observe " + task, () -> observed(observe, new ObserveTask.TaskChange(tenant, task), "RUNNING", log))));
        ResumeStalledTenants.Sweep which = new ResumeStalledTenants.Sweep(IDLE_FOR, limit);
        thread.scheduleWithFixedDelay(
                () -> quietly("sweep", () -> sweep.resume(which)),
                EVERY.toMillis(),
                EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(
                () -> quietly("reconcile", () -> reconcile(reconcile, log)),
                RECONCILE_EVERY.toMillis(),
                RECONCILE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return new LocalSweep(thread);
    }

    /**
     * A tenant's process that stopped, or started answering on its port, observed as the task-state function observes
     * ECS's events: the tenant moves on at once (restarted after its backoff; or its link asked and its email sent)
     * without waiting for anyone to ask, and one line says where it is and why.
     */
    private static void observed(ObserveTask observe, ObserveTask.TaskChange change, String status, LogOutput log) {
        ObserveTask.Observation seen = observe.taskChanged(change);
        RequestLog line = new RequestLog(UUID.randomUUID().toString(), Map.of())
                .put("route", "task-state")
                .put("tenant", change.tenant().value())
                .put("task", change.task().value())
                .put("lastStatus", status);
        seen.tenant()
                .ifPresentOrElse(
                        tenant -> {
                            line.put("state", tenant.lease().state().name().toLowerCase(Locale.ROOT))
                                    .put(
                                            "notification",
                                            tenant.lease().notification().name().toLowerCase(Locale.ROOT));
                            tenant.lease().failure().ifPresent(reason -> line.put("reason", reason));
                        },
                        () -> line.put("outcome", "ignored: the task belongs to no current tenant"));
        line.emit(log.stream());
    }

    private static void reconcile(ReconcileTenants reconcile, LogOutput log) {
        ReconcileTenants.Report report = reconcile.reconcile();
        if (report.actions().isEmpty() && report.stillFailing() == 0) {
            return;
        }
        String id = UUID.randomUUID().toString();
        RequestLog line = new RequestLog(id, Map.of()).put("route", "reconcile");
        ReconcileLog.summarise(report, line);
        ReconcileLog.actions(report, id, Map.of(), log.stream());
        line.emit(log.stream());
    }

    private static void quietly(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException notNow) {
            // Any failure ends this try only: a scheduled task that threw would never run again (and restarts with it).
            System.err.println("local sweep, " + what + ": " + notNow);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
