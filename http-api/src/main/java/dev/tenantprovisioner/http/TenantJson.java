package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.Step;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A tenant as the API shows it. */
final class TenantJson {

    private TenantJson() {}

    /** A tenant with what a request did to it, pointing at where its status is read. */
    static ApiResponse answer(int status, String outcome, TenantStatus tenant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", outcome);
        body.putAll(of(tenant));
        return ApiResponse.json(status, body)
                .withHeader("location", "/tenants/" + tenant.lease().tenant().value());
    }

    /**
     * A tenant with its steps, oldest first: {@code {"step","at","detail"?}}; and, while its container waits to be
     * started again after a crash, when ({@code restartAt}) and how many times it stopped in the restart window
     * ({@code crashes}).
     */
    static Map<String, Object> withTimeline(TenantStatus status) {
        Map<String, Object> body = of(status);
        status.lease().crashes().ifPresent(crashes -> {
            body.put("crashes", crashes.count());
            // Set only while a restart waits for its backoff (cleared when it starts, never set on a crash loop).
            crashes.restartAt().ifPresent(at -> body.put("restartAt", at.toString()));
        });
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : status.lease().timeline()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", step.name());
            entry.put("at", step.at().toString());
            step.detail().ifPresent(detail -> entry.put("detail", detail));
            steps.add(entry);
        }
        body.put("timeline", steps);
        return body;
    }

    static Map<String, Object> of(TenantStatus status) {
        Lease lease = status.lease();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", lease.tenant().value());
        body.put("state", lease.state().name().toLowerCase(Locale.ROOT));
        body.put("port", lease.port().map(p -> (Object) p.value()).orElse(null));
        body.put("taskId", lease.task().map(Object::toString).orElse(null));
        body.put("accessUrl", status.accessUrl().map(Object::toString).orElse(null));
        body.put("notification", lease.notification().name().toLowerCase(Locale.ROOT));
        body.put("failure", lease.failure().orElse(null));
        body.put("generation", lease.generation());
        body.put("createdAt", lease.createdAt().toString());
        body.put("updatedAt", lease.updatedAt().toString());
        body.put("statusUrl", "/tenants/" + lease.tenant().value());
        return body;
    }
}
