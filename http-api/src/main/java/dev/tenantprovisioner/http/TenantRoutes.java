package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /tenants}, {@code GET /tenants/{id}}, {@code DELETE /tenants/{id}}, and
 * {@code POST /tenants/{id}/suspend} and {@code /resume}.
 */
final class TenantRoutes {

    private final DeprovisionTenant deprovision;
    private final DescribeTenant describe;
    private final ListTenants list;
    private final SuspendTenant suspend;
    private final ResumeTenant resume;
    private final int listLimit;

    TenantRoutes(HttpApi.UseCases useCases, int listLimit) {
        this.deprovision = useCases.deprovision();
        this.describe = useCases.describe();
        this.list = useCases.list();
        this.suspend = useCases.suspend();
        this.resume = useCases.resume();
        this.listLimit = listLimit;
    }

    /**
     * Suspend or resume: 200 with the tenant (and whether it was so already), 404 for an unknown tenant, 409 from a
     * state the change makes no sense from, 503 with {@code retry-after} while a suspended container is still stopping.
     */
    ApiResponse change(String id, String action, RequestLog line) {
        TenantId tenant;
        try {
            tenant = TenantId.of(id);
        } catch (InvalidValueException bad) {
            return Problem.invalidField("id", bad.problem());
        }
        line.put("tenant", tenant.value());
        boolean suspending = action.equals("suspend");
        ChangeOutcome outcome =
                suspending ? suspend.suspend(tenant, "suspended through the API") : resume.resume(tenant);
        if (outcome instanceof ChangeOutcome.NotFound) {
            return Problem.of(404, "tenant-not-found", "Tenant not found", "no tenant " + tenant);
        }
        if (outcome instanceof ChangeOutcome.Refused refused) {
            line.put("outcome", "refused");
            return Problem.of(409, "invalid-state", "Not possible in this state", refused.detail());
        }
        if (outcome instanceof ChangeOutcome.Busy busy) {
            line.put("outcome", "busy");
            return Problem.of(503, "busy", "Busy", busy.detail()).withHeader("retry-after", "5");
        }
        ChangeOutcome.Changed changed = (ChangeOutcome.Changed) outcome;
        String said = suspending
                ? (changed.already() ? "already_suspended" : "suspended")
                : (changed.already() ? "already_running" : "resumed");
        line.put("outcome", said);
        return TenantJson.answer(200, said, changed.status());
    }

    ApiResponse one(ApiRequest request, String id, RequestLog line) {
        TenantId tenant;
        try {
            tenant = TenantId.of(id);
        } catch (InvalidValueException bad) {
            return Problem.invalidField("id", bad.problem());
        }
        line.put("tenant", tenant.value());
        if (request.method().equals("GET")) {
            return describe.describe(tenant)
                    .map(status -> ApiResponse.json(200, TenantJson.of(status)))
                    .orElseGet(() -> Problem.of(404, "tenant-not-found", "Tenant not found", "no tenant " + tenant));
        }
        DeprovisionOutcome outcome = deprovision.deprovision(new DeprovisionCommand(tenant));
        String said = outcome.already() ? "already_deprovisioned" : "deprovisioned";
        line.put("outcome", said);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", said);
        body.putAll(TenantJson.of(outcome.status()));
        return ApiResponse.json(200, body);
    }

    ApiResponse all() {
        List<Map<String, Object>> tenants = list.list(new ListTenants.Query(listLimit)).stream()
                .map(TenantJson::of)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenants", tenants);
        return ApiResponse.json(200, body);
    }
}
