package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpApiHandlerTest {

    private final Fixture fixture = new Fixture();

    private APIGatewayV2HTTPResponse provision(String userId, String email) {
        return fixture.send(authorized("POST", "/provision", provisionBody(userId, email)));
    }

    private void assertNothingAllocated() {
        assertThat(fixture.adapters.registry.list(100)).isEmpty();
        assertThat(fixture.adapters.runtime.all()).isEmpty();
        assertThat(fixture.adapters.mailer.attempts()).isZero();
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response, int status, String code) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(json(response))
                .containsEntry("code", code)
                .containsEntry("status", new BigDecimal(status))
                .containsKeys("type", "title", "detail");
    }

    @Test
    void givenTheScheduledWarmup_whenInvoked_thenAnsweredAtOnceWithoutALogLineOrAnythingAllocated() {
        // {"warmup": true} as Lambda's runtime hands it to this handler: an event object with none of the fields API
        // Gateway always sends (the deploy-tests run the jar through the runtime's own deserialisation).
        APIGatewayV2HTTPResponse response = fixture.send(new APIGatewayV2HTTPEvent());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("warm");
        assertThat(fixture.adapters.logLines()).isEmpty();
        assertNothingAllocated();
    }

    @Test
    void givenARequestWithAPathButNoContext_whenInvoked_thenItIsServedNotTakenForTheWarmup() {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRawPath("/tenants/user-1");

        APIGatewayV2HTTPResponse response = fixture.send(event);

        assertThat(response.getBody()).isNotEqualTo("warm");
        assertThat(fixture.adapters.logLines()).hasSize(1);
    }

    @Test
    void givenNewUser_whenPostingProvision_then202WithStatePortAndStatusUrl() {
        APIGatewayV2HTTPResponse response = provision("user-123", "jane@example.com");

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getHeaders())
                .containsEntry("content-type", "application/json")
                .containsEntry("location", "/tenants/user-123");
        assertThat(json(response))
                .containsEntry("outcome", "provisioned")
                .containsEntry("tenantId", "user-123")
                .containsEntry("state", "running")
                .containsEntry("port", new BigDecimal(3000))
                // Behind the TLS proxy on the host: https, no port (PROXY=https, the default).
                .containsEntry("accessUrl", "https://user-123.127-0-0-1.sslip.io")
                // The API function leaves the welcome email to the task-event function (it ships no mail client).
                .containsEntry("notification", "pending")
                .containsEntry("statusUrl", "/tenants/user-123");
        assertThat(fixture.adapters.mailer.attempts()).isZero();
        assertThat(fixture.taskRunningEvent("user-123")).isEqualTo("tenant running, notification sent");
        assertThat(fixture.adapters.mailer.delivered())
                .singleElement()
                .satisfies(mail -> assertThat(mail.accessUrl()).hasToString("https://user-123.127-0-0-1.sslip.io"));
    }

    @Test
    void givenProvisionedUser_whenPostingAgain_thenSameTenantAndNothingNew() {
        provision("user-123", "jane@example.com");
        fixture.taskRunningEvent("user-123");

        APIGatewayV2HTTPResponse again = provision("user-123", "jane@example.com");

        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(json(again))
                .containsEntry("outcome", "already_provisioned")
                .containsEntry("port", new BigDecimal(3000));
        assertThat(fixture.adapters.runtime.all()).hasSize(1);
        assertThat(fixture.adapters.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenProvisionedUser_whenGettingAndDeletingTenant_thenStatusThenTombstoneAndHarmlessRepeat() {
        provision("user-123", "jane@example.com");

        APIGatewayV2HTTPResponse status = fixture.send(authorized("GET", "/tenants/user-123", null));
        APIGatewayV2HTTPResponse deleted = fixture.send(authorized("DELETE", "/tenants/user-123", null));
        APIGatewayV2HTTPResponse deletedAgain = fixture.send(authorized("DELETE", "/tenants/user-123", null));

        assertThat(status.getStatusCode()).isEqualTo(200);
        assertThat(json(status)).containsEntry("state", "running").containsKey("taskId");
        assertThat(deleted.getStatusCode()).isEqualTo(200);
        assertThat(json(deleted))
                .containsEntry("outcome", "deprovisioned")
                .containsEntry("state", "deprovisioned")
                .containsEntry("port", null);
        assertThat(json(deletedAgain)).containsEntry("outcome", "already_deprovisioned");
        assertThat(fixture.adapters.runtime.live()).isEmpty();
    }

    @Test
    void givenTenants_whenListing_thenAllAreShown() {
        provision("user-1", "a@example.com");
        provision("user-2", "b@example.com");

        APIGatewayV2HTTPResponse list = fixture.send(authorized("GET", "/tenants", null));

        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat((List<?>) json(list).get("tenants")).hasSize(2);
    }

    @Test
    void givenUnknownTenant_whenGetting_then404() {
        assertProblem(fixture.send(authorized("GET", "/tenants/nobody", null)), 404, "tenant-not-found");
    }

    @Test
    void givenTenantIdThatIsNoDnsLabel_whenGetting_then400NamingTheField() {
        APIGatewayV2HTTPResponse response = fixture.send(authorized("GET", "/tenants/Not_A_Label", null));

        assertProblem(response, 400, "invalid-field");
        assertThat(json(response)).containsEntry("field", "id");
    }

    @Test
    void givenNoApiKey_whenProvisioning_then401AndNothingAllocated() {
        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/provision", provisionBody("user-1", "a@example.com"), Map.of()));

        assertProblem(response, 401, "unauthorized");
        assertNothingAllocated();
    }

    @Test
    void givenWrongApiKey_whenProvisioningOrReading_then401AndNothingAllocated() {
        Map<String, String> wrong = Map.of("x-api-key", "test-key-0123456789abcdeX");

        assertProblem(
                fixture.send(event("POST", "/provision", provisionBody("user-1", "a@example.com"), wrong)),
                401,
                "unauthorized");
        assertProblem(fixture.send(event("GET", "/tenants", null, wrong)), 401, "unauthorized");
        assertProblem(fixture.send(event("DELETE", "/tenants/user-1", null, wrong)), 401, "unauthorized");
        assertNothingAllocated();
    }

    @Test
    void givenSecondConfiguredKey_whenProvisioning_thenAccepted() {
        APIGatewayV2HTTPResponse response = fixture.send(event(
                "POST",
                "/provision",
                provisionBody("user-1", "a@example.com"),
                Map.of("X-Api-Key", "second-key-0123456789")));

        assertThat(response.getStatusCode()).isEqualTo(202);
    }

    @ParameterizedTest(name = "[{index}] body {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json                                        | 400 | malformed-json |",
                "[1,2]                                            | 400 | malformed-json |",
                "''                                               | 400 | malformed-json |",
                "{\"email\":\"a@example.com\"}                    | 400 | invalid-field  | userId",
                "{\"userId\":\"user-1\"}                          | 400 | invalid-field  | email",
                "{\"userId\":\"User_1\",\"email\":\"a@example.com\"} | 400 | invalid-field | userId",
                "{\"userId\":\"-user\",\"email\":\"a@example.com\"}  | 400 | invalid-field | userId",
                "{\"userId\":42,\"email\":\"a@example.com\"}      | 400 | invalid-field  | userId",
                "{\"userId\":\"user-1\",\"email\":\"not-an-email\"} | 400 | invalid-field | email",
                "{\"userId\":\"user-1\",\"email\":\"a@example.com\",\"revive\":\"yes\"} | 400 | invalid-field | revive",
                "{\"userId\":\"user-1\",\"userId\":\"user-2\",\"email\":\"a@example.com\"} | 400 | malformed-json |",
                "{\"userId\":\"x-10-0-0-1\",\"email\":\"a@example.com\"} | 400 | invalid-field | userId",
                "{\"userId\":\"192-168-0-1\",\"email\":\"a@example.com\"} | 400 | invalid-field | userId",
            })
    void givenBadBody_whenProvisioning_then400NamingTheProblemAndNothingAllocated(
            String body, int status, String code, String field) {
        APIGatewayV2HTTPResponse response = fixture.send(authorized("POST", "/provision", body));

        assertProblem(response, status, code);
        if (field != null) {
            assertThat(json(response)).containsEntry("field", field);
            assertThat((String) json(response).get("detail")).startsWith(field + ":");
        }
        assertNothingAllocated();
    }

    @Test
    void givenBodyOver16KiB_whenProvisioning_then413AndNothingAllocated() {
        String body = "{\"userId\":\"user-1\",\"email\":\"a@example.com\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";

        assertProblem(fixture.send(authorized("POST", "/provision", body)), 413, "body-too-large");
        assertNothingAllocated();
    }

    @Test
    void givenFormBody_whenProvisioning_then415() {
        APIGatewayV2HTTPResponse response = fixture.send(event(
                "POST",
                "/provision",
                "userId=user-1",
                Map.of("x-api-key", Fixture.API_KEY, "content-type", "application/x-www-form-urlencoded")));

        assertProblem(response, 415, "unsupported-media-type");
        assertNothingAllocated();
    }

    @Test
    void givenJsonBodyWithoutContentType_whenProvisioning_then415NamingTheHeaderAndNothingAllocated() {
        APIGatewayV2HTTPEvent untyped = authorized("POST", "/provision", provisionBody("user-1", "jane@example.com"));
        untyped.getHeaders().remove("content-type");

        APIGatewayV2HTTPResponse response = fixture.send(untyped);

        assertProblem(response, 415, "unsupported-media-type");
        assertThat((String) json(response).get("detail")).contains("Content-Type: application/json");
        assertNothingAllocated();
    }

    @Test
    void givenBase64EncodedBody_whenProvisioning_thenDecodedAndProvisioned() {
        APIGatewayV2HTTPEvent event = authorized(
                "POST",
                "/provision",
                Base64.getEncoder()
                        .encodeToString(provisionBody("user-1", "a@example.com").getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        assertThat(fixture.send(event).getStatusCode()).isEqualTo(202);
    }

    @Test
    void givenUnknownRoute_when_then404() {
        assertProblem(fixture.send(authorized("GET", "/admin", null)), 404, "not-found");
    }

    @Test
    void givenWrongMethod_whenCallingKnownRoute_then405WithAllow() {
        APIGatewayV2HTTPResponse response = fixture.send(authorized("GET", "/provision", null));

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.getHeaders()).containsEntry("allow", "POST");
    }

    @Test
    void givenRuntimeWithoutCapacity_whenProvisioning_then503WithRetryAfterAndPortReleased() {
        fixture.adapters.runtime.withCapacity(0);

        APIGatewayV2HTTPResponse response = provision("user-1", "a@example.com");

        assertProblem(response, 503, "no-capacity");
        assertThat(response.getHeaders()).containsKey("retry-after");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .port())
                .isEmpty();
    }

    @Test
    void givenExhaustedPool_whenProvisioning_then503() {
        Fixture small = new Fixture(PortPool.range(3000, 3000), Map.of());
        small.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));

        assertProblem(
                small.send(authorized("POST", "/provision", provisionBody("user-2", "b@example.com"))),
                503,
                "no-capacity");
    }

    @Test
    void givenTransientRuntimeFailure_whenProvisioning_then503AndTenantShowsWhereItStopped() {
        fixture.adapters.runtime.failNextCall(new InfrastructureException("ECS: ThrottlingException", true));

        APIGatewayV2HTTPResponse response = provision("user-1", "a@example.com");

        assertProblem(response, 503, "temporarily-unavailable");
        assertThat(response.getHeaders()).containsEntry("retry-after", "5");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(provision("user-1", "a@example.com").getStatusCode()).isEqualTo(200);
    }

    @Test
    void givenPermanentRuntimeFailure_whenProvisioning_then500() {
        fixture.adapters.runtime.failNextCall(new InfrastructureException("ECS: task definition not found", false));

        assertProblem(provision("user-1", "a@example.com"), 500, "infrastructure-error");
    }

    @Test
    void givenRequests_whenHandled_thenOneJsonLogLineEachWithoutSecretsOrEmails() {
        provision("user-1", "jane.doe@example.com");
        fixture.send(event("GET", "/tenants/user-1", null, Map.of("x-api-key", "wrong-key-wrong-key")));

        List<String> lines = fixture.adapters.logLines();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains(
                        "\"requestId\":",
                        "\"route\":\"POST /provision\"",
                        "\"tenant\":\"user-1\"",
                        "\"outcome\":\"provisioned\"",
                        "\"status\":202",
                        "\"durationMs\":");
        assertThat(String.join("\n", lines)).doesNotContain("jane.doe", Fixture.API_KEY, "wrong-key-wrong-key");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTenants_whenListedPageByPage_thenEachOnceNewestFirstAndBadParametersAre400() {
        for (String tenant : List.of("page-a", "page-b", "page-c")) {
            fixture.send(authorized("POST", "/provision", provisionBody(tenant, tenant + "@example.com")));
        }
        fixture.send(authorized("DELETE", "/tenants/page-b", null));

        APIGatewayV2HTTPEvent firstRequest = authorized("GET", "/tenants", null);
        firstRequest.setRawQueryString("limit=2");
        Map<String, Object> first = json(fixture.send(firstRequest));
        APIGatewayV2HTTPEvent secondRequest = authorized("GET", "/tenants", null);
        secondRequest.setRawQueryString("limit=2&cursor=" + first.get("next"));
        Map<String, Object> second = json(fixture.send(secondRequest));
        APIGatewayV2HTTPEvent deprovisionedRequest = authorized("GET", "/tenants", null);
        deprovisionedRequest.setRawQueryString("state=deprovisioned");
        Map<String, Object> deprovisioned = json(fixture.send(deprovisionedRequest));

        List<Object> seen = new java.util.ArrayList<>();
        ((List<Map<String, Object>>) first.get("tenants")).forEach(t -> seen.add(t.get("tenantId")));
        ((List<Map<String, Object>>) second.get("tenants")).forEach(t -> seen.add(t.get("tenantId")));
        assertThat(seen).containsExactlyInAnyOrder("page-a", "page-b", "page-c");
        assertThat(((List<?>) first.get("tenants"))).hasSize(2);
        assertThat(second.get("next")).isNull();
        assertThat((List<Map<String, Object>>) deprovisioned.get("tenants"))
                .extracting(t -> t.get("tenantId"))
                .containsExactly("page-b");

        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "state=sleeping", "cursor=bogus!")) {
            APIGatewayV2HTTPEvent request = authorized("GET", "/tenants", null);
            request.setRawQueryString(bad);
            APIGatewayV2HTTPResponse response = fixture.send(request);
            assertProblem(response, 400, "invalid-field");
            assertThat(json(response).get("field")).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
    }
}
