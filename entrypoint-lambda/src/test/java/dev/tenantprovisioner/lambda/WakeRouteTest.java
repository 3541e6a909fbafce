package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /proxy/wake/{tenant}}: where the proxy sends a visit to a tenant asleep for idleness, with the visitor's
 * request as it came (any method, its {@code Accept}) and the proxy's key.
 */
class WakeRouteTest {

    private static final String PROXY_KEY = "proxy-key-0123456789abcdef";
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final Fixture fixture = new Fixture(PortPool.range(3000, 3099), Map.of("PROXY_KEYS", PROXY_KEY));

    private void aTenantAsleep(String id) {
        fixture.send(authorized("POST", "/provision", provisionBody(id, id + "@example.com")));
        fixture.injector.getInstance(SuspendTenant.class).sleep(TenantId.of(id), "no traffic for 30 min");
    }

    private APIGatewayV2HTTPResponse visit(String method, String id, String accept) {
        return fixture.send(event(method, "/proxy/wake/" + id, null, Map.of("x-api-key", PROXY_KEY, "accept", accept)));
    }

    @Test
    void givenABrowserVisitingATenantAsleep_whenSentToTheWakeRoute_thenItWakesAndThePageWaitsForIt() {
        aTenantAsleep("alice");

        APIGatewayV2HTTPResponse page = visit("GET", "alice", BROWSER);

        assertThat(page.getStatusCode()).isEqualTo(503);
        assertThat(page.getHeaders())
                .containsEntry("content-type", "text/html; charset=utf-8")
                .containsEntry("retry-after", "2")
                .containsEntry("tenant-proxy", "waking");
        assertThat(page.getBody())
                .contains("Starting your instance")
                .contains("<meta http-equiv=\"refresh\" content=\"2\">");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("alice"))
                        .orElseThrow()
                        .state())
                .isNotEqualTo(TenantState.SUSPENDED);
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    void givenAnApiClient_whenItsRequestWakesATenant_then503WithRetryAfterAndAProblem() {
        aTenantAsleep("bob");

        APIGatewayV2HTTPResponse answer = visit("POST", "bob", "application/json");

        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getHeaders())
                .containsEntry("content-type", "application/problem+json")
                .containsEntry("retry-after", "2");
        assertThat(json(answer)).containsEntry("code", "waking");
    }

    @Test
    void givenManyVisitsToOneTenantAsleep_whenEachIsSentToTheWakeRoute_thenOneContainerStarts() {
        aTenantAsleep("carol");
        int started = fixture.adapters.runtime.all().size();

        for (int i = 0; i < 5; i++) {
            assertThat(visit("GET", "carol", BROWSER).getStatusCode()).isEqualTo(503);
        }

        assertThat(fixture.adapters.runtime.all()).hasSize(started + 1);
        assertThat(fixture.adapters.logLines())
                .filteredOn(line -> line.contains("/proxy/wake/{tenant}"))
                .hasSize(5)
                .first()
                .asString()
                .contains("\"outcome\":\"woken\"");
    }

    @Test
    void givenATenantSuspendedForBilling_whenVisited_thenThePageSaysSoAndItStaysDown() {
        fixture.send(authorized("POST", "/provision", provisionBody("dora", "dora@example.com")));
        fixture.send(authorized("POST", "/tenants/dora/suspend", "{}"));

        APIGatewayV2HTTPResponse page = visit("GET", "dora", BROWSER);

        assertThat(page.getStatusCode()).isEqualTo(503);
        assertThat(page.getHeaders()).containsEntry("tenant-proxy", "suspended").doesNotContainKey("retry-after");
        assertThat(page.getBody()).contains("This instance is suspended").doesNotContain("refresh");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("dora"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenATenantThatCannotStart_whenVisited_thenThePageSaysWhyAndDoesNotAskAgainByItself() {
        aTenantAsleep("erin");
        fixture.adapters.runtime.withCapacity(0);

        APIGatewayV2HTTPResponse page = visit("GET", "erin", BROWSER);

        assertThat(page.getStatusCode()).isEqualTo(503);
        assertThat(page.getHeaders()).containsEntry("tenant-proxy", "not-woken");
        assertThat(page.getBody())
                .contains("could not start")
                .contains("no capacity")
                .doesNotContain("refresh");
    }

    @Test
    void givenEveryProvisionSlotTaken_whenATenantAsleepIsVisited_thenThePageWaitsAndNothingStarts() {
        Fixture limited = new Fixture(
                PortPool.range(3000, 3099), Map.of("PROXY_KEYS", PROXY_KEY, "MAX_CONCURRENT_PROVISIONS", "1"));
        limited.send(authorized("POST", "/provision", provisionBody("gail", "gail@example.com")));
        limited.injector.getInstance(SuspendTenant.class).sleep(TenantId.of("gail"), "no traffic for 30 min");
        limited.adapters.registry.takeSlot(
                TenantId.of("someone-else"), 1, dev.tenantprovisioner.domain.usecase.Limits.DEFAULT_SLOT_HOLD);

        APIGatewayV2HTTPResponse page =
                limited.send(event("GET", "/proxy/wake/gail", null, Map.of("x-api-key", PROXY_KEY, "accept", BROWSER)));

        assertThat(page.getStatusCode()).isEqualTo(503);
        assertThat(page.getHeaders()).containsEntry("tenant-proxy", "waking").containsKey("retry-after");
        assertThat(page.getBody()).contains("It starts in a moment").contains("http-equiv=\"refresh\"");
        assertThat(limited.adapters.runtime.live()).isEmpty();
    }

    @Test
    void givenAWebsocketReconnectingFromATabLeftOpen_whenItReachesATenantAsleep_thenItDoesNotWakeIt() {
        aTenantAsleep("gus");

        APIGatewayV2HTTPResponse answer = fixture.send(event(
                "GET",
                "/proxy/wake/gus",
                null,
                Map.of("x-api-key", PROXY_KEY, "connection", "Upgrade", "upgrade", "websocket")));

        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getHeaders()).containsEntry("retry-after", "30").containsEntry("tenant-proxy", "asleep");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("gus"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenNoSuchTenant_whenVisited_then404NoInstance() {
        APIGatewayV2HTTPResponse page = visit("GET", "nobody", BROWSER);

        assertThat(page.getStatusCode()).isEqualTo(404);
        assertThat(page.getBody()).contains("No instance here");
    }

    @Test
    void givenNoKey_whenTheWakeRouteIsCalled_then401AndNothingWakes() {
        aTenantAsleep("finn");

        APIGatewayV2HTTPResponse answer = fixture.send(event("GET", "/proxy/wake/finn", null, Map.of()));

        assertThat(answer.getStatusCode()).isEqualTo(401);
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("finn"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenABadTenantId_whenVisited_then400NamingIt() {
        APIGatewayV2HTTPResponse answer = visit("GET", "Not_A_Tenant", BROWSER);

        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat(json(answer)).containsEntry("field", "tenant");
    }
}
