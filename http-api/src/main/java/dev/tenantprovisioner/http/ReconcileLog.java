package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a reconciler round is logged, wherever it runs (the sweep, {@code POST /reconcile}, the local runner): its
 * counts and one metric per kind of repair in the round's own line ({@code OrphansReconciled} and the others below, in
 * CloudWatch's embedded metric format), and one line per repair with its kind, tenant, task and reason.
 */
public final class ReconcileLog {

    /** The metric each kind of repair counts under. */
    public static final Map<ReconcileTenants.Kind, String> METRICS = Map.of(
            ReconcileTenants.Kind.ORPHAN_STOPPED, "OrphansReconciled",
            ReconcileTenants.Kind.TASK_ADOPTED, "AdoptedTasksReconciled",
            ReconcileTenants.Kind.SUSPENDED_TASK_STOPPED, "SuspendedTasksReconciled",
            ReconcileTenants.Kind.LOST_TASK, "LostTasksReconciled",
            ReconcileTenants.Kind.STUCK_FINISHED, "StuckLeasesReconciled",
            ReconcileTenants.Kind.STUCK_FAILED, "StuckLeasesReconciled");

    private ReconcileLog() {}

    /** The round's counts and metrics, into {@code line}. */
    public static void summarise(ReconcileTenants.Report report, RequestLog line) {
        line.put("reconciledTasks", report.tasks())
                .put("reconciledLeases", report.leases())
                .put("reconcileActions", report.actions().size())
                .put("reconcileStillFailing", report.stillFailing());
        for (String metric : new java.util.TreeSet<>(METRICS.values())) {
            long count = report.actions().stream()
                    .filter(action -> metric.equals(METRICS.get(action.kind())))
                    .count();
            line.gauge(metric, count);
        }
        if (report.stillFailing() > 0) {
            line.warn();
        }
    }

    /** One line per repair, each saying why, after the round's request id and context. */
    public static void actions(
            ReconcileTenants.Report report, String requestId, Map<String, Object> context, PrintStream out) {
        for (ReconcileTenants.Action action : report.actions()) {
            RequestLog line = new RequestLog(requestId, context)
                    .put("route", "reconcile")
                    .put("action", action.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("tenant", action.tenant().value())
                    .put("reason", action.reason());
            action.task().ifPresent(task -> line.put("task", task.value()));
            line.warn();
            line.emit(out);
        }
    }

    /** The round as the API answers it. */
    static Map<String, Object> json(ReconcileTenants.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", report.tasks());
        body.put("leases", report.leases());
        body.put("stillFailing", report.stillFailing());
        List<Map<String, Object>> actions = report.actions().stream()
                .map(action -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("action", action.kind().name().toLowerCase(java.util.Locale.ROOT));
                    entry.put("tenantId", action.tenant().value());
                    entry.put("taskId", action.task().map(Object::toString).orElse(null));
                    entry.put("reason", action.reason());
                    return entry;
                })
                .toList();
        body.put("actions", actions);
        return body;
    }
}
