package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.RequestLog;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Runs the sweep on a schedule (EventBridge), finishing provisions that callers abandoned half way. */
public final class SweepHandler implements RequestHandler<Map<String, Object>, String> {

    private final ResumeStalledTenants sweep;
    private final ResumeStalledTenants.Sweep which;
    private final LogOutput log;

    public SweepHandler() {
        this(
                Bootstrap.production(Bootstrap.Function.SWEEP, ResumeStalledTenants.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, ResumeStalledTenants.Sweep.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, LogOutput.class));
    }

    public SweepHandler(ResumeStalledTenants sweep, ResumeStalledTenants.Sweep which, LogOutput log) {
        this.sweep = sweep;
        this.which = which;
        this.log = log;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        String requestId = Optional.ofNullable(context)
                .map(Context::getAwsRequestId)
                .orElseGet(() -> UUID.randomUUID().toString());
        ResumeStalledTenants.Report report = sweep.resume(which);
        RequestLog line = new RequestLog(requestId)
                .put("route", "sweep")
                .put("examined", report.examined())
                .put("resumed", report.resumed())
                .put("stillFailing", report.stillFailing())
                .put("portsFreed", report.portsFreed());
        if (report.stillFailing() > 0) {
            line.warn();
        }
        line.emit(log.stream());
        return "examined " + report.examined() + ", resumed " + report.resumed() + ", still failing "
                + report.stillFailing() + ", ports freed " + report.portsFreed();
    }
}
