package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InvalidCursorException;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
                    .map(status -> ApiResponse.json(200, TenantJson.withTimeline(status)))
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

    /**
     * {@code GET /tenants?limit=&cursor=&state=}: a page of tenants, newest first across all pages; {@code next} is the
     * cursor of the following page ({@code null} on the last).
     */
    ApiResponse all(ApiRequest request) {
        int limit;
        try {
            limit = request.parameter("limit").map(Integer::parseInt).orElse(listLimit);
        } catch (NumberFormatException notANumber) {
            return Problem.invalidField("limit", "must be a whole number from 1 to 1000");
        }
        if (limit < 1 || limit > 1000) {
            return Problem.invalidField("limit", "must be from 1 to 1000, was " + limit);
        }
        Optional<TenantState> state;
        try {
            state = request.parameter("state").map(value -> TenantState.valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Problem.invalidField(
                    "state",
                    "must be one of "
                            + java.util.Arrays.stream(TenantState.values())
                                    .map(s -> s.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
        ListTenants.Page page;
        try {
            page = list.list(new ListTenants.Query(limit, request.parameter("cursor"), state));
        } catch (InvalidCursorException bad) {
            return Problem.invalidField("cursor", "not a cursor this listing handed out; start without one");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenants", page.tenants().stream().map(TenantJson::of).toList());
        body.put("next", page.next().orElse(null));
        return ApiResponse.json(200, body);
    }
}
