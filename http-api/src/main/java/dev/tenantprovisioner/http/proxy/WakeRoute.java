package dev.tenantprovisioner.http.proxy;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.ChangeOutcome;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.RequestLog;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /proxy/wake/{tenant}} (any method): where the proxy sends a visit to a tenant asleep for idleness. It wakes
 * the tenant (of many visits at once, one restarts it) and answers the visitor: a browser (it accepts HTML) a small
 * page that says the instance is starting and asks again by itself every few seconds, so it lands on the app once the
 * proxy routes to it; any other client 503 with {@code Retry-After} and a problem+json body. A tenant that cannot be
 * woken (suspended for billing, failed, gone, no room to start it) gets a page that says why, and no page asks again
 * by itself then. Every answer carries the proxy's mark ({@value CaddyConfig#MARK}), so nothing takes it for the app.
 */
final class WakeRoute {

    static final int RETRY_SECONDS = 2;

    private final WakeTenant wake;

    WakeRoute(WakeTenant wake) {
        this.wake = wake;
    }

    ApiResponse wake(ApiRequest request, String id, RequestLog line) {
        TenantId tenant;
        try {
            tenant = TenantId.of(id);
        } catch (InvalidValueException bad) {
            return Problem.invalidField("tenant", bad.problem());
        }
        line.put("tenant", tenant.value());
        boolean browser = request.header("accept")
                .map(accept -> accept.contains("text/html"))
                .orElse(false);
        if (request.header("upgrade").isPresent()) {
            // A websocket reconnecting from a tab left open is not someone using the app: it does not wake the tenant
            // (or an open tab would keep it awake for ever); opening the page or an API call does.
            line.put("outcome", "not-woken-by-upgrade");
            return answer(
                    false,
                    503,
                    "asleep",
                    "This instance is asleep",
                    "A background connection does not wake it; opening its page does.",
                    30,
                    false);
        }
        ChangeOutcome outcome = wake.wake(tenant);
        if (outcome instanceof ChangeOutcome.Changed changed
                && changed.status().lease().state() == TenantState.FAILED) {
            String reason = changed.status().lease().failure().orElse("it failed to start");
            line.put("outcome", "not-woken").put("reason", reason);
            // No page that asks again by itself: a tenant that cannot start would loop; the reason is shown instead.
            return answer(browser, 503, "not-woken", "This instance could not start", reason, 60, false);
        }
        if (outcome instanceof ChangeOutcome.Changed changed) {
            line.put("outcome", changed.already() ? "waking-already" : "woken");
            return answer(
                    browser,
                    503,
                    "waking",
                    "Starting your instance",
                    "It was asleep after a while without visits and is starting now; this page opens it as soon as it"
                            + " answers.",
                    RETRY_SECONDS,
                    true);
        }
        if (outcome instanceof ChangeOutcome.Busy busy) {
            line.put("outcome", "busy").put("reason", busy.detail());
            return answer(
                    browser,
                    503,
                    "waking",
                    "Starting your instance",
                    "It starts in a moment (its last container is still stopping, or others are starting first), and this"
                            + " page opens it then.",
                    RETRY_SECONDS + 1,
                    true);
        }
        if (outcome instanceof ChangeOutcome.Refused refused) {
            line.put("outcome", "not-asleep").put("reason", refused.detail());
            TenantState state = refused.status().lease().state();
            boolean gone = state == TenantState.FAILED || state == TenantState.DEPROVISIONED;
            return gone
                    ? answer(
                            browser,
                            404,
                            "no-route",
                            "No instance here",
                            "There is no instance at this address.",
                            0,
                            false)
                    : answer(
                            browser,
                            503,
                            "suspended",
                            "This instance is suspended",
                            "The instance " + tenant.value() + " is suspended: its data is kept, and it answers here"
                                    + " again once it is resumed.",
                            0,
                            false);
        }
        line.put("outcome", "not-found");
        return answer(browser, 404, "no-route", "No instance here", "There is no instance at this address.", 0, false);
    }

    /**
     * A page for a browser, problem+json for anyone else; {@code retrySeconds} (0: none) as {@code Retry-After}, and,
     * with {@code refresh}, a page that asks again by itself that often.
     */
    private static ApiResponse answer(
            boolean browser,
            int status,
            String mark,
            String title,
            String sentence,
            int retrySeconds,
            boolean refresh) {
        ApiResponse response = browser
                ? new ApiResponse(
                        status,
                        Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store"),
                        Pages.html(title, sentence, refresh ? retrySeconds : 0))
                : Problem.of(status, mark, title, sentence);
        response = response.withHeader(CaddyConfig.MARK.toLowerCase(Locale.ROOT), mark);
        return retrySeconds > 0 ? response.withHeader("retry-after", Integer.toString(retrySeconds)) : response;
    }
}
