package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.RequestLog;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.LambdaInvocation;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles EventBridge "ECS Task State Change" events. The task's {@code startedBy} names the tenant;
 * the event only triggers a fresh look at the task, so duplicate, late and foreign events are harmless.
 */
public final class EcsTaskStateHandler implements RequestHandler<Map<String, Object>, String> {

    private final ObserveTask observe;
    private final LogOutput log;

    public EcsTaskStateHandler() {
        this(
                Bootstrap.production(Bootstrap.Function.TASK_EVENTS, ObserveTask.class),
                Bootstrap.production(Bootstrap.Function.TASK_EVENTS, LogOutput.class));
    }

    public EcsTaskStateHandler(ObserveTask observe, LogOutput log) {
        this.observe = observe;
        this.log = log;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        if (Warmup.is(event)) {
            return Warmup.ANSWER;
        }
        String requestId = Optional.ofNullable(context)
                .map(Context::getAwsRequestId)
                .orElseGet(() -> UUID.randomUUID().toString());
        RequestLog line =
                new RequestLog(requestId, LambdaInvocation.fields(context)).put("route", "ecs-task-state-change");
        String result = handle(event, line);
        line.put("outcome", result);
        line.emit(log.stream());
        return result;
    }

    private String handle(Map<String, Object> event, RequestLog line) {
        if (!"ECS Task State Change".equals(event.get("detail-type"))
                || !(event.get("detail") instanceof Map<?, ?> detail)) {
            return "ignored: not an ECS task state change";
        }
        Object startedBy = detail.get("startedBy");
        Object taskArn = detail.get("taskArn");
        line.put("lastStatus", String.valueOf(detail.get("lastStatus")));
        if (!(startedBy instanceof String by) || !(taskArn instanceof String arn)) {
            return "ignored: task has no startedBy or taskArn";
        }
        TenantId tenant;
        TaskId task;
        try {
            tenant = TenantId.of(by);
            task = TaskId.of(arn);
        } catch (InvalidValueException notOurs) {
            return "ignored: task was not started by tenant-provisioner";
        }
        line.put("tenant", tenant.value());
        ObserveTask.Observation seen = observe.taskChanged(new ObserveTask.TaskChange(tenant, task));
        if (seen.portFreed()) {
            line.put("portFreed", true);
            return "port freed: the task of a tenant that gave up its port has stopped";
        }
        // Why the tenant is where it is (waiting for its link to answer, stopped, failed), in the same line.
        seen.tenant().flatMap(s -> s.lease().failure()).ifPresent(reason -> line.put("reason", reason));
        seen.tenant()
                .filter(s -> s.lease().notification() == NotificationState.FAILED
                        && "RUNNING".equals(detail.get("lastStatus")))
                .ifPresent(failed -> line.count(RequestLog.EMAIL_FAILED));
        return seen.tenant()
                .map(s -> "tenant " + s.lease().state().name().toLowerCase(Locale.ROOT) + ", notification "
                        + s.lease().notification().name().toLowerCase(Locale.ROOT))
                .orElse("ignored: task belongs to no current tenant");
    }
}
