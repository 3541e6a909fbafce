package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.lambda.http.LogOutput;
import dev.tenantprovisioner.lambda.http.RequestLog;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Runs the sweep on a schedule (EventBridge), finishing provisions that callers abandoned half way. */
public final class SweepHandler implements RequestHandler<Map<String, Object>, String> {

    static final ResumeStalledTenants.Sweep SWEEP = new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 1000);

    private final ResumeStalledTenants sweep;
    private final LogOutput log;

    public SweepHandler() {
        this(Bootstrap.production(Bootstrap.Function.SWEEP, ResumeStalledTenants.class),
                Bootstrap.production(Bootstrap.Function.SWEEP, LogOutput.class));
    }

    public SweepHandler(ResumeStalledTenants sweep, LogOutput log) {
        this.sweep = sweep;
        this.log = log;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        String requestId = Optional.ofNullable(context).map(Context::getAwsRequestId).orElseGet(() -> UUID.randomUUID().toString());
        ResumeStalledTenants.Report report = sweep.resume(SWEEP);
        RequestLog line = new RequestLog(requestId).put("route", "sweep").put("examined", report.examined())
                .put("resumed", report.resumed()).put("stillFailing", report.stillFailing())
                .put("portsFreed", report.portsFreed());
        if (report.stillFailing() > 0) {
            line.warn();
        }
        line.emit(log.stream());
        return "examined " + report.examined() + ", resumed " + report.resumed() + ", still failing " + report.stillFailing()
                + ", ports freed " + report.portsFreed();
    }
}
