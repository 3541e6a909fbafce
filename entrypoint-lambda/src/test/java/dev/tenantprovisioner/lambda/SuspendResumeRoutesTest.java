package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /tenants/{id}/suspend} and {@code /resume} through the Lambda handler. */
class SuspendResumeRoutesTest {

    private final Fixture fixture = new Fixture();

    private APIGatewayV2HTTPResponse post(String path) {
        return fixture.send(authorized("POST", path, null));
    }

    @Test
    void givenRunningTenant_whenSuspendedAndResumedTwice_thenEachAnswerSaysWhatHappenedAndThePortStays() {
        fixture.send(authorized("POST", "/provision", provisionBody("acme", "jane@example.com")));
        fixture.taskRunningEvent("acme");
        Object port =
                json(fixture.send(authorized("GET", "/tenants/acme", null))).get("port");

        APIGatewayV2HTTPResponse suspended = post("/tenants/acme/suspend");
        APIGatewayV2HTTPResponse again = post("/tenants/acme/suspend");

        assertThat(suspended.getStatusCode()).isEqualTo(200);
        assertThat(json(suspended))
                .containsEntry("outcome", "suspended")
                .containsEntry("state", "suspended")
                .containsEntry("port", port);
        assertThat(json(again)).containsEntry("outcome", "already_suspended");
        assertThat(fixture.adapters.runtime.live()).isEmpty();

        APIGatewayV2HTTPResponse resumed = post("/tenants/acme/resume");
        APIGatewayV2HTTPResponse resumedAgain = post("/tenants/acme/resume");

        assertThat(resumed.getStatusCode()).isEqualTo(200);
        assertThat(json(resumed)).containsEntry("outcome", "resumed").containsEntry("port", port);
        assertThat(json(resumedAgain)).containsEntry("outcome", "already_running");
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
        assertThat(((BigDecimal) port).intValue()).isEqualTo(3000);
    }

    @Test
    void givenTenantsThatCannotChange_whenSuspendedOrResumed_then409Or404OrBadIdAndNothingChanges() {
        fixture.send(authorized("POST", "/provision", provisionBody("gone", "jane@example.com")));
        fixture.send(authorized("DELETE", "/tenants/gone", null));

        APIGatewayV2HTTPResponse deprovisioned = post("/tenants/gone/suspend");
        APIGatewayV2HTTPResponse resumeDeprovisioned = post("/tenants/gone/resume");
        APIGatewayV2HTTPResponse unknown = post("/tenants/nobody/resume");
        APIGatewayV2HTTPResponse badId = post("/tenants/Not_A_Label/suspend");

        assertThat(deprovisioned.getStatusCode()).isEqualTo(409);
        assertThat(json(deprovisioned)).containsEntry("code", "invalid-state");
        assertThat((String) json(deprovisioned).get("detail")).contains("deprovisioned");
        assertThat(resumeDeprovisioned.getStatusCode()).isEqualTo(409);
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(badId.getStatusCode()).isEqualTo(400);
        assertThat(json(fixture.send(authorized("GET", "/tenants/gone", null))))
                .containsEntry("state", "deprovisioned");
    }

    @Test
    void givenTheActionRoutes_whenCalledWrongly_then405WithoutAMethodAnd401WithoutAKey() {
        fixture.send(authorized("POST", "/provision", provisionBody("acme", "jane@example.com")));

        APIGatewayV2HTTPResponse get = fixture.send(authorized("GET", "/tenants/acme/suspend", null));
        APIGatewayV2HTTPResponse noKey = fixture.send(event("POST", "/tenants/acme/suspend", null, Map.of()));

        assertThat(get.getStatusCode()).isEqualTo(405);
        assertThat(noKey.getStatusCode()).isEqualTo(401);
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    void givenASuspendedContainerStillUp_whenResumed_then503BusyWithRetryAfterAndTheNextResumeStartsIt() {
        fixture.send(authorized("POST", "/provision", provisionBody("acme", "jane@example.com")));
        fixture.taskRunningEvent("acme");
        fixture.adapters.runtime.failNextCall(new InfrastructureException("ECS unreachable", true));
        post("/tenants/acme/suspend");

        APIGatewayV2HTTPResponse busy = post("/tenants/acme/resume");

        assertThat(busy.getStatusCode()).isEqualTo(503);
        assertThat(busy.getHeaders()).containsEntry("retry-after", "5");
        assertThat(json(busy)).containsEntry("type", "urn:tenant-provisioner:problem:busy");
        assertThat(json(post("/tenants/acme/resume"))).containsEntry("outcome", "resumed");
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenALifecycle_whenTheTenantIsRead_thenItsTimelineListsEachStepWithItsTimeAndReason() {
        fixture.send(authorized("POST", "/provision", provisionBody("acme", "jane@example.com")));
        fixture.taskRunningEvent("acme");
        post("/tenants/acme/suspend");
        post("/tenants/acme/resume");

        Map<String, Object> tenant = json(fixture.send(authorized("GET", "/tenants/acme", null)));

        List<Map<String, Object>> timeline = (List<Map<String, Object>>) tenant.get("timeline");
        assertThat(timeline)
                .extracting(step -> step.get("step"))
                .containsSubsequence("allocated", "started", "running", "emailed", "suspended", "restarting");
        assertThat(timeline)
                .allSatisfy(step -> assertThat(java.time.Instant.parse((String) step.get("at")))
                        .isBeforeOrEqualTo(java.time.Instant.now()));
        assertThat(timeline)
                .filteredOn(step -> "suspended".equals(step.get("step")))
                .singleElement()
                .satisfies(step -> assertThat((String) step.get("detail")).contains("suspended through the API"));
        assertThat(json(fixture.send(authorized("GET", "/tenants", null))).toString())
                .as("the list stays small: no timelines")
                .doesNotContain("timeline");
    }
}
