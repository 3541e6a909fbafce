package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import java.util.Map;
import java.util.Optional;

/** {@code POST /provision}: checks the body, runs the use case, maps its outcome to an answer. */
final class ProvisionRoute {

    private final ProvisionTenant provision;

    ProvisionRoute(ProvisionTenant provision) {
        this.provision = provision;
    }

    ApiResponse handle(ApiRequest request, RequestLog line) {
        Optional<ApiResponse> refusal = Checks.tooLarge(request).or(() -> Checks.notJson(request));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        Map<String, Object> body;
        try {
            body = Json.parseObject(request.bodyText());
        } catch (Json.MalformedJsonException malformed) {
            return Problem.of(400, "malformed-json", "Malformed JSON", malformed.getMessage());
        }
        ProvisionCommand command;
        try {
            TenantId tenant = TenantId.of(Checks.requiredString(body, "userId"));
            line.put("tenant", tenant.value());
            Email email = Email.of(Checks.requiredString(body, "email"));
            command = new ProvisionCommand(tenant, email, Checks.optionalBoolean(body, "revive"));
        } catch (Checks.FieldException bad) {
            return Problem.invalidField(bad.field, bad.problem);
        } catch (InvalidValueException bad) {
            String field = bad.field().equals("tenantId") ? "userId" : bad.field();
            return Problem.invalidField(field, bad.problem());
        }
        return answer(provision.provision(command), line);
    }

    private static ApiResponse answer(ProvisionOutcome outcome, RequestLog line) {
        return outcome.map(
                provisioned -> {
                    line.put("outcome", "provisioned");
                    line.count(RequestLog.PROVISIONED);
                    return TenantJson.answer(202, "provisioned", provisioned.status());
                },
                already -> {
                    line.put("outcome", "already_provisioned");
                    return TenantJson.answer(200, "already_provisioned", already.status());
                },
                rejected -> {
                    line.put("outcome", "rejected:" + rejected.reason());
                    String code = rejected.reason() == ProvisionOutcome.Reason.DEPROVISIONED
                            ? "tenant-deprovisioned"
                            : "email-mismatch";
                    return Problem.of(409, code, "Conflict", rejected.detail());
                },
                noCapacity -> {
                    line.put("outcome", "no_capacity");
                    line.count(RequestLog.NO_CAPACITY);
                    line.warn();
                    return Problem.of(503, "no-capacity", "No capacity", noCapacity.reason())
                            .withHeader("retry-after", "60");
                },
                limitReached -> {
                    line.put("outcome", "limit_reached:" + limitReached.limit());
                    line.put("reason", limitReached.detail());
                    line.count(RequestLog.LIMIT_REACHED);
                    line.warn();
                    // Too many tenants: the caller's to resolve (429); too many at once: try again in a moment (503).
                    return limitReached.limit() == ProvisionOutcome.Limit.ACTIVE_TENANTS
                            ? Problem.of(429, "tenant-limit", "Too many tenants", limitReached.detail())
                                    .withHeader("retry-after", "300")
                            : Problem.of(503, "provision-limit", "Too many provisions at once", limitReached.detail())
                                    .withHeader("retry-after", "5");
                });
    }
}
