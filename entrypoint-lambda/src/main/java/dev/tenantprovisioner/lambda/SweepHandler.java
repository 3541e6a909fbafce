package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.ReconcileLog;
import dev.tenantprovisioner.http.RequestLog;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.IdleSweep;
import dev.tenantprovisioner.lambda.wiring.LambdaInvocation;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the sweep on a schedule (EventBridge), finishing provisions that callers abandoned half way, starting again the
 * containers whose restart is due, then reconciling the registry with ECS and suspending idle tenants. An event
 * {@code {"pass": "restarts"}} (the template's one-minute schedule) runs the first part only: it reads no more than the
 * leases that need attention and the held ports, so it can run often enough for a restart's backoff.
 */
public final class SweepHandler implements RequestHandler<Map<String, Object>, String> {

    /** The input of the frequent schedule: no reconciling and no idle suspension, only what is due. */
    public static final String RESTARTS_PASS = "restarts";

    private final ResumeStalledTenants sweep;
    private final ResumeStalledTenants.Sweep which;
    private final LogOutput log;
    private final IdleSweep idle;
    private final Optional<ReconcileTenants> reconcile;

    public SweepHandler() {
        this(
                Bootstrap.production(Bootstrap.Function.SWEEP, ResumeStalledTenants.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, ResumeStalledTenants.Sweep.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, LogOutput.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, IdleSweep.class),
                Optional.of(Bootstrap.production(Bootstrap.Function.SWEEP, ReconcileTenants.class)));
    }

    public SweepHandler(ResumeStalledTenants sweep, ResumeStalledTenants.Sweep which, LogOutput log) {
        this(sweep, which, log, IdleSweep.off());
    }

    public SweepHandler(ResumeStalledTenants sweep, ResumeStalledTenants.Sweep which, LogOutput log, IdleSweep idle) {
        this(sweep, which, log, idle, Optional.empty());
    }

    public SweepHandler(
            ResumeStalledTenants sweep,
            ResumeStalledTenants.Sweep which,
            LogOutput log,
            IdleSweep idle,
            Optional<ReconcileTenants> reconcile) {
        this.sweep = sweep;
        this.which = which;
        this.log = log;
        this.idle = idle;
        this.reconcile = reconcile;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        if (Warmup.is(event)) {
            return Warmup.ANSWER;
        }
        String requestId = Optional.ofNullable(context)
                .map(Context::getAwsRequestId)
                .orElseGet(() -> UUID.randomUUID().toString());
        ResumeStalledTenants.Report report = sweep.resume(which);
        boolean restartsOnly = RESTARTS_PASS.equals(event == null ? null : event.get("pass"));
        RequestLog line = new RequestLog(requestId, LambdaInvocation.fields(context))
                .put("route", "sweep")
                .put("pass", restartsOnly ? RESTARTS_PASS : "full")
                .put("examined", report.examined())
                .put("resumed", report.resumed())
                .put("stillFailing", report.stillFailing())
                .put("portsFreed", report.portsFreed());
        // The backlog: tenants the sweep found needing attention and could not finish (an alarm watches it grow).
        line.gauge(RequestLog.SWEEP_BACKLOG, report.stillFailing());
        if (report.stillFailing() > 0) {
            line.warn();
        }
        String reconcileSummary = restartsOnly
                ? ""
                : reconcile
                        .map(round -> reconcile(round, line, requestId, context))
                        .orElse("");
        String idleSummary = restartsOnly
                ? ""
                : idle.suspend()
                        .map(suspendIdle -> suspendIdle(suspendIdle, line))
                        .orElse("");
        line.emit(log.stream());
        return "examined " + report.examined() + ", resumed " + report.resumed() + ", still failing "
                + report.stillFailing() + ", ports freed " + report.portsFreed() + reconcileSummary + idleSummary;
    }

    /**
     * One reconciler round: its counts and metrics in the sweep's line, a line per repair with its reason; a runtime
     * that cannot be listed is a warning, and the rest of the sweep goes on.
     */
    private String reconcile(ReconcileTenants round, RequestLog line, String requestId, Context context) {
        try {
            ReconcileTenants.Report report = round.reconcile();
            ReconcileLog.summarise(report, line);
            ReconcileLog.actions(report, requestId, LambdaInvocation.fields(context), log.stream());
            return "; reconciled: " + report.actions().size() + " repairs, still failing " + report.stillFailing();
        } catch (InfrastructureException failed) {
            line.warn();
            line.put("reconcileError", failed.getMessage());
            return "; reconcile: " + failed.getMessage();
        }
    }

    /** Suspends the idle tenants; a failure is logged (a warning) and leaves the rest of the sweep's answer. */
    private String suspendIdle(SuspendIdleTenants suspendIdle, RequestLog line) {
        try {
            SuspendIdleTenants.Report idleReport = suspendIdle.suspendIdle(which.limit());
            line.put("idleRunning", idleReport.running())
                    .put("idleSuspended", idleReport.suspended())
                    .put("idleUnknown", idleReport.unknown());
            if (idleReport.unknown() > 0) {
                // Some tenants' traffic could not be read (a monitor asked tenant by tenant): they were left running. A
                // round whose whole read failed (Container Insights off, throttling past the retries) lands below.
                line.warn();
            }
            return "; idle: running " + idleReport.running() + ", suspended " + idleReport.suspended()
                    + ", traffic unknown " + idleReport.unknown();
        } catch (InfrastructureException failed) {
            line.warn();
            line.put("idleError", failed.getMessage());
            return "; idle: " + failed.getMessage();
        }
    }
}
