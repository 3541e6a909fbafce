package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /tenants}, {@code GET /tenants/{id}} and {@code DELETE /tenants/{id}}. */
final class TenantRoutes {

    private final DeprovisionTenant deprovision;
    private final DescribeTenant describe;
    private final ListTenants list;
    private final int listLimit;

    TenantRoutes(DeprovisionTenant deprovision, DescribeTenant describe, ListTenants list, int listLimit) {
        this.deprovision = deprovision;
        this.describe = describe;
        this.list = list;
        this.listLimit = listLimit;
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
