package dev.tenantprovisioner.http;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API: dispatch to the route groups ({@link ProvisionRoute}, {@link TenantRoutes} with suspend and resume,
 * {@link StripeRoute}),
 * authentication, and the mapping of failures to answers. Bad input is refused with a 4xx problem before anything is
 * allocated; only infrastructure failures answer 5xx (503 with {@code retry-after} when a retry can help).
 */
public final class HttpApi {

    public static final int MAX_BODY_BYTES = Checks.MAX_BODY_BYTES;
    /** The largest body the Stripe webhook takes. */
    public static final int WEBHOOK_MAX_BODY_BYTES = Checks.WEBHOOK_MAX_BODY_BYTES;
    /** How many tenants {@code GET /tenants} lists at most. */
    public static final int DEFAULT_LIST_LIMIT = 100;

    /** The most body bytes a request to {@code path} may carry: a server may refuse more before reading it. */
    public static int bodyLimit(String path) {
        return path.equals("/webhooks/stripe") ? WEBHOOK_MAX_BODY_BYTES : MAX_BODY_BYTES;
    }

    private static final Pattern TENANT_PATH = Pattern.compile("/tenants/([^/]*)");
    private static final Pattern TENANT_ACTION_PATH = Pattern.compile("/tenants/([^/]*)/(suspend|resume)");
    private static final Pattern WAKE_PATH = Pattern.compile("/proxy/wake/([^/]*)");

    private final ProvisionRoute provision;
    private final TenantRoutes tenants;
    private final ApiKeys apiKeys;
    private final ApiKeys proxyKeys;
    private final StripeRoute stripe;
    private final ProxyRoute proxy;
    private final LogOutput log;
    private final ReconcileTenants reconcile;

    /** The Stripe webhook route, kept apart because it authenticates by signature instead of API key. */
    public interface StripeRoute {
        ApiResponse handle(ApiRequest request, RequestLog log);
    }

    /**
     * {@code GET /proxy/config}: the configuration of the proxy on a host, which the proxies ask for (kept apart as the
     * Stripe route is: it speaks the proxy's language, not the API's).
     */
    public interface ProxyRoute {
        ApiResponse config(ApiRequest request, RequestLog log);

        /** A visit to a tenant asleep for idleness, which the proxy sends here: wake it, and answer the visitor. */
        ApiResponse wake(ApiRequest request, String tenant, RequestLog log);
    }

    /** The use cases the API answers with. */
    public record UseCases(
            ProvisionTenant provision,
            DeprovisionTenant deprovision,
            DescribeTenant describe,
            ListTenants list,
            SuspendTenant suspend,
            ResumeTenant resume,
            ReconcileTenants reconcile) {}

    /**
     * {@code apiKeys} may call every route that takes a key; {@code proxyKeys}, the keys the proxies on the hosts
     * hold, only {@code GET /proxy/config} and the wake route ({@code /proxy/wake/{id}}), so a proxy's key cannot
     * provision or remove anyone.
     */
    public HttpApi(
            UseCases useCases,
            int listLimit,
            ApiKeys apiKeys,
            ApiKeys proxyKeys,
            StripeRoute stripe,
            ProxyRoute proxy,
            LogOutput log) {
        this.provision = new ProvisionRoute(useCases.provision());
        this.tenants = new TenantRoutes(useCases, listLimit);
        this.apiKeys = apiKeys;
        this.proxyKeys = proxyKeys;
        this.stripe = stripe;
        this.proxy = proxy;
        this.log = log;
        this.reconcile = useCases.reconcile();
    }

    public ApiResponse handle(ApiRequest request) {
        return handle(request, Map.of());
    }

    /** Serves {@code request}; its log line starts with {@code context} (where it runs: a Lambda's invocation). */
    public ApiResponse handle(ApiRequest request, Map<String, Object> context) {
        RequestLog line = new RequestLog(request.requestId(), context)
                .put("method", request.method())
                .put("path", request.path());
        ApiResponse response;
        try {
            response = route(request, line, context);
        } catch (InfrastructureException failure) {
            line.error();
            line.count(RequestLog.FAILED);
            line.put("error", failure.getMessage());
            response = failure.retryable()
                    ? Problem.of(
                                    503,
                                    "temporarily-unavailable",
                                    "Temporarily unavailable",
                                    "a backing service failed; retrying the same request is safe")
                            .withHeader("retry-after", "5")
                    : Problem.of(
                            500,
                            "infrastructure-error",
                            "Infrastructure error",
                            "a backing service refused the request; see the tenant's status and the logs");
        } catch (RuntimeException bug) {
            line.error();
            line.count(RequestLog.FAILED);
            line.put("error", bug.toString());
            // The one line per request is all a reader gets, so it says where the failure came from.
            if (bug.getStackTrace().length > 0) {
                line.put("at", bug.getStackTrace()[0].toString());
            }
            response = Problem.of(
                    500, "internal-error", "Internal error", "unexpected failure; request " + request.requestId());
        }
        line.put("status", response.status());
        line.emit(log.stream());
        return response;
    }

    private ApiResponse route(ApiRequest request, RequestLog line, Map<String, Object> context) {
        String path = normalise(request.path());
        Matcher tenantPath = TENANT_PATH.matcher(path);
        if (path.equals("/provision")) {
            line.put("route", "POST /provision");
            return Checks.allow(request, "POST")
                    .orElseGet(() -> authenticated(request, () -> provision.handle(request, line)));
        }
        if (path.equals("/tenants")) {
            line.put("route", "GET /tenants");
            return Checks.allow(request, "GET").orElseGet(() -> authenticated(request, () -> tenants.all(request)));
        }
        Matcher actionPath = TENANT_ACTION_PATH.matcher(path);
        if (actionPath.matches()) {
            String id = actionPath.group(1);
            String action = actionPath.group(2);
            line.put("route", "POST /tenants/{id}/" + action);
            return Checks.allow(request, "POST")
                    .orElseGet(() -> authenticated(request, () -> tenants.change(id, action, line)));
        }
        if (tenantPath.matches()) {
            String id = tenantPath.group(1);
            line.put("route", request.method() + " /tenants/{id}");
            return Checks.allow(request, "GET", "DELETE")
                    .orElseGet(() -> authenticated(request, () -> tenants.one(request, id, line)));
        }
        if (path.equals("/reconcile")) {
            line.put("route", "POST /reconcile");
            return Checks.allow(request, "POST")
                    .orElseGet(() -> authenticated(request, () -> reconcile(request, line, context)));
        }
        if (path.equals("/proxy/config")) {
            line.put("route", "GET /proxy/config");
            return Checks.allow(request, "GET")
                    .orElseGet(() -> authenticated(request, proxyKeys, () -> proxy.config(request, line)));
        }
        Matcher wakePath = WAKE_PATH.matcher(path);
        if (wakePath.matches()) {
            // Any method: it is the visitor's own request, whatever it was, that the proxy hands over.
            line.put("route", "ANY /proxy/wake/{tenant}");
            return authenticated(request, proxyKeys, () -> proxy.wake(request, wakePath.group(1), line));
        }
        if (path.equals("/webhooks/stripe")) {
            line.put("route", "POST /webhooks/stripe");
            return Checks.allow(request, "POST")
                    .orElseGet(() -> Checks.tooLarge(request, WEBHOOK_MAX_BODY_BYTES)
                            .map(refused -> {
                                line.warn();
                                line.put("outcome", "too_large");
                                line.put("reason", "the body is over " + WEBHOOK_MAX_BODY_BYTES + " bytes");
                                return refused;
                            })
                            .orElseGet(() -> stripe.handle(request, line)));
        }
        line.put("route", "unknown");
        return Problem.of(404, "not-found", "Not found", "no route for " + request.method() + " " + path);
    }

    /** {@code POST /reconcile}: one reconciler round now, as the sweep runs one on its schedule. */
    private ApiResponse reconcile(ApiRequest request, RequestLog line, Map<String, Object> context) {
        ReconcileTenants.Report report = reconcile.reconcile();
        ReconcileLog.summarise(report, line);
        // Each repair's line carries where it ran, as the request's line does (a Lambda's invocation).
        ReconcileLog.actions(report, request.requestId(), context, log.stream());
        line.put("outcome", "reconciled");
        return ApiResponse.json(200, ReconcileLog.json(report));
    }

    private ApiResponse authenticated(ApiRequest request, Supplier<ApiResponse> route) {
        return authenticated(request, ApiKeys.none(), route);
    }

    /** The route, for a caller with an API key or one of {@code alsoAccepted}. */
    private ApiResponse authenticated(ApiRequest request, ApiKeys alsoAccepted, Supplier<ApiResponse> route) {
        Optional<String> key = request.header(ApiKeys.HEADER);
        // Both sets are always compared, so the time taken does not say which one a key belongs to.
        boolean api = apiKeys.accepts(key);
        boolean other = alsoAccepted.accepts(key);
        if (!(api | other)) {
            String detail = request.header(ApiKeys.HEADER).isPresent()
                    ? "the " + ApiKeys.HEADER + " header is not a valid key"
                    : "send an API key in the " + ApiKeys.HEADER + " header";
            return Problem.of(401, "unauthorized", "Unauthorized", detail).withHeader("www-authenticate", "ApiKey");
        }
        return route.get();
    }

    private static String normalise(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
