package dev.tenantprovisioner.lambda.http;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API: routes, authentication, input checks and the mapping of outcomes to answers. Bad
 * input is refused with a 4xx problem before anything is allocated; only infrastructure failures
 * answer 5xx (503 with {@code retry-after} when a retry can help).
 */
public final class HttpApi {

    public static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern TENANT_PATH = Pattern.compile("/tenants/([^/]*)");

    private final ProvisionTenant provision;
    private final DeprovisionTenant deprovision;
    private final DescribeTenant describe;
    private final ListTenants list;
    private final ApiKeys apiKeys;
    private final StripeRoute stripe;
    private final LogOutput log;

    /** The Stripe webhook route, kept apart because it authenticates by signature instead of API key. */
    public interface StripeRoute {
        ApiResponse handle(ApiRequest request, RequestLog log);
    }

    public HttpApi(ProvisionTenant provision, DeprovisionTenant deprovision, DescribeTenant describe, ListTenants list,
            ApiKeys apiKeys, StripeRoute stripe, LogOutput log) {
        this.provision = provision;
        this.deprovision = deprovision;
        this.describe = describe;
        this.list = list;
        this.apiKeys = apiKeys;
        this.stripe = stripe;
        this.log = log;
    }

    public ApiResponse handle(ApiRequest request) {
        RequestLog line = new RequestLog(request.requestId()).put("method", request.method()).put("path", request.path());
        ApiResponse response;
        try {
            response = route(request, line);
        } catch (InfrastructureException failure) {
            line.error();
            line.put("error", failure.getMessage());
            response = failure.retryable()
                    ? Problem.of(503, "temporarily-unavailable", "Temporarily unavailable",
                            "a backing service failed; retrying the same request is safe").withHeader("retry-after", "5")
                    : Problem.of(500, "infrastructure-error", "Infrastructure error",
                            "a backing service refused the request; see the tenant's status and the logs");
        } catch (RuntimeException bug) {
            line.error();
            line.put("error", bug.toString());
            // The one line per request is all a reader gets, so it says where the failure came from.
            if (bug.getStackTrace().length > 0) {
                line.put("at", bug.getStackTrace()[0].toString());
            }
            response = Problem.of(500, "internal-error", "Internal error", "unexpected failure; request " + request.requestId());
        }
        line.put("status", response.status());
        line.emit(log.stream());
        return response;
    }

    private ApiResponse route(ApiRequest request, RequestLog line) {
        String path = normalise(request.path());
        Matcher tenantPath = TENANT_PATH.matcher(path);
        if (path.equals("/provision")) {
            line.put("route", "POST /provision");
            return allow(request, "POST").orElseGet(() -> authenticated(request, () -> provision(request, line)));
        }
        if (path.equals("/tenants")) {
            line.put("route", "GET /tenants");
            return allow(request, "GET").orElseGet(() -> authenticated(request, this::listTenants));
        }
        if (tenantPath.matches()) {
            String id = tenantPath.group(1);
            line.put("route", request.method() + " /tenants/{id}");
            return allow(request, "GET", "DELETE").orElseGet(() -> authenticated(request, () -> tenant(request, id, line)));
        }
        if (path.equals("/webhooks/stripe")) {
            line.put("route", "POST /webhooks/stripe");
            return allow(request, "POST").orElseGet(() -> tooLarge(request).orElseGet(() -> stripe.handle(request, line)));
        }
        line.put("route", "unknown");
        return Problem.of(404, "not-found", "Not found", "no route for " + request.method() + " " + path);
    }

    private ApiResponse provision(ApiRequest request, RequestLog line) {
        Optional<ApiResponse> refusal = tooLarge(request).or(() -> notJson(request));
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
            TenantId tenant = TenantId.of(requiredString(body, "userId"));
            line.put("tenant", tenant.value());
            Email email = Email.of(requiredString(body, "email"));
            command = new ProvisionCommand(tenant, email, optionalBoolean(body, "revive"));
        } catch (FieldException bad) {
            return Problem.invalidField(bad.field, bad.problem);
        } catch (InvalidValueException bad) {
            String field = bad.field().equals("tenantId") ? "userId" : bad.field();
            return Problem.invalidField(field, bad.problem());
        }
        ProvisionOutcome outcome = provision.provision(command);
        return answer(outcome, line);
    }

    private ApiResponse answer(ProvisionOutcome outcome, RequestLog line) {
        if (outcome instanceof ProvisionOutcome.Provisioned provisioned) {
            line.put("outcome", "provisioned");
            return tenantAnswer(202, provisioned.status(), "provisioned");
        }
        if (outcome instanceof ProvisionOutcome.AlreadyProvisioned already) {
            line.put("outcome", "already_provisioned");
            return tenantAnswer(200, already.status(), "already_provisioned");
        }
        if (outcome instanceof ProvisionOutcome.Rejected rejected) {
            line.put("outcome", "rejected:" + rejected.reason());
            String code = rejected.reason() == ProvisionOutcome.Reason.DEPROVISIONED ? "tenant-deprovisioned" : "email-mismatch";
            return Problem.of(409, code, "Conflict", rejected.detail());
        }
        ProvisionOutcome.NoCapacity none = (ProvisionOutcome.NoCapacity) outcome;
        line.put("outcome", "no_capacity");
        line.warn();
        return Problem.of(503, "no-capacity", "No capacity", none.reason()).withHeader("retry-after", "60");
    }

    private ApiResponse tenantAnswer(int status, TenantStatus tenant, String outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", outcome);
        body.putAll(TenantJson.of(tenant));
        return ApiResponse.json(status, body).withHeader("location", "/tenants/" + tenant.lease().tenant().value());
    }

    private ApiResponse tenant(ApiRequest request, String id, RequestLog line) {
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
        boolean already = outcome instanceof DeprovisionOutcome.AlreadyDeprovisioned;
        TenantStatus status = already ? ((DeprovisionOutcome.AlreadyDeprovisioned) outcome).status()
                : ((DeprovisionOutcome.Deprovisioned) outcome).status();
        line.put("outcome", already ? "already_deprovisioned" : "deprovisioned");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", already ? "already_deprovisioned" : "deprovisioned");
        body.putAll(TenantJson.of(status));
        return ApiResponse.json(200, body);
    }

    private ApiResponse listTenants() {
        List<Map<String, Object>> tenants = list.list(new ListTenants.Query(1000)).stream().map(TenantJson::of).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenants", tenants);
        return ApiResponse.json(200, body);
    }

    private ApiResponse authenticated(ApiRequest request, java.util.function.Supplier<ApiResponse> route) {
        if (!apiKeys.accepts(request.header(ApiKeys.HEADER))) {
            String detail = request.header(ApiKeys.HEADER).isPresent() ? "the " + ApiKeys.HEADER + " header is not a valid key"
                    : "send an API key in the " + ApiKeys.HEADER + " header";
            return Problem.of(401, "unauthorized", "Unauthorized", detail).withHeader("www-authenticate", "ApiKey");
        }
        return route.get();
    }

    private static Optional<ApiResponse> allow(ApiRequest request, String... methods) {
        for (String method : methods) {
            if (method.equals(request.method())) {
                return Optional.empty();
            }
        }
        return Optional.of(Problem.of(405, "method-not-allowed", "Method not allowed",
                request.method() + " is not allowed here; use " + String.join(" or ", methods))
                .withHeader("allow", String.join(", ", methods)));
    }

    private static Optional<ApiResponse> tooLarge(ApiRequest request) {
        if (request.body().length > MAX_BODY_BYTES) {
            return Optional.of(Problem.of(413, "body-too-large", "Body too large",
                    "the body has " + request.body().length + " bytes; at most " + MAX_BODY_BYTES + " are accepted"));
        }
        return Optional.empty();
    }

    private static Optional<ApiResponse> notJson(ApiRequest request) {
        Optional<String> type = request.header("content-type");
        if (type.isPresent() && !type.get().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return Optional.of(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json, not " + type.get()));
        }
        return Optional.empty();
    }

    private static String normalise(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String requiredString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw new FieldException(field, "is required");
        }
        if (!(value instanceof String s)) {
            throw new FieldException(field, "must be a string");
        }
        return s;
    }

    private static boolean optionalBoolean(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new FieldException(field, "must be true or false");
        }
        return b;
    }

    private static final class FieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String problem;

        FieldException(String field, String problem) {
            super(field + ": " + problem, null, false, false);
            this.field = field;
            this.problem = problem;
        }
    }
}
