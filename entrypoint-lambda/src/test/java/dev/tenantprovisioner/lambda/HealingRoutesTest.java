package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.stripe.StripeSignature;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.IdleSweep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Healing through the Lambda functions: limits answered as problems, the reconciler by hand and on the sweep's schedule
 * with a line per repair, and every Stripe delivery that changes nothing saying why in its line.
 */
class HealingRoutesTest {

    private static Fixture withEnv(Map<String, String> env) {
        return new Fixture(PortPool.range(3000, 3099), env);
    }

    @Test
    void givenTheActiveLimitReached_whenANewTenantIsProvisioned_then429ProblemWithRetryAfterAndNothingAllocated() {
        Fixture fixture = withEnv(Map.of("MAX_ACTIVE_TENANTS", "1"));
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));

        APIGatewayV2HTTPResponse refused =
                fixture.send(authorized("POST", "/provision", provisionBody("user-2", "b@example.com")));

        assertThat(refused.getStatusCode()).isEqualTo(429);
        assertThat(refused.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(refused.getHeaders()).containsKey("retry-after");
        assertThat(json(refused))
                .containsEntry("code", "tenant-limit")
                .containsEntry("status", new java.math.BigDecimal(429));
        assertThat((String) json(refused).get("detail")).contains("MAX_ACTIVE_TENANTS");
        assertThat(fixture.adapters.registry.find(TenantId.of("user-2"))).isEmpty();
        assertThat(fixture.adapters.runtime.all()).hasSize(1);
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"outcome\":\"limit_reached:ACTIVE_TENANTS\"")
                .contains("\"LimitReached\":1")
                .contains("\"level\":\"WARN\"")
                .contains("\"reason\":\"1 tenants hold a port already (MAX_ACTIVE_TENANTS)");
    }

    @Test
    void givenEveryProvisionSlotHeld_whenANewTenantIsProvisioned_then503ProblemWithRetryAfter() {
        Fixture fixture = withEnv(Map.of("MAX_CONCURRENT_PROVISIONS", "1"));
        fixture.adapters.registry.takeSlot(TenantId.of("elsewhere"), 1, Duration.ofMinutes(2));

        APIGatewayV2HTTPResponse refused =
                fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));

        assertThat(refused.getStatusCode()).isEqualTo(503);
        assertThat(refused.getHeaders()).containsEntry("retry-after", "5");
        assertThat(json(refused)).containsEntry("code", "provision-limit");
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"outcome\":\"limit_reached:CONCURRENT_PROVISIONS\"")
                .contains("\"level\":\"WARN\"");
        assertThat(fixture.adapters.registry.find(TenantId.of("user-1"))).isEmpty();
    }

    @Test
    void givenAStrayTask_whenReconciledByHand_thenStoppedTheAnswerSaysWhyAndTheLogHasALinePerRepairAndTheCount() {
        Fixture fixture = new Fixture();
        fixture.adapters.runtime.start(new ContainerSpec(TenantId.of("stray"), HostPort.of(3050), "stray-g1-r0"));

        APIGatewayV2HTTPResponse answer = fixture.send(authorized("POST", "/reconcile", null));

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(json(answer).get("actions").toString())
                .contains("orphan_stopped")
                .contains("stray");
        assertThat(fixture.adapters.runtime.live()).isEmpty();
        List<String> lines = fixture.adapters.logLines();
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"route\":\"reconcile\"")
                        .contains("\"action\":\"orphan_stopped\"")
                        .contains("\"tenant\":\"stray\"")
                        .contains("\"reason\":\"no lease names it: the tenant has no lease\"")
                        .as("where it ran, as every Lambda line says")
                        .contains("\"awsRequestId\":")
                        .contains("\"functionName\":"));
        assertThat(lines)
                .last()
                .asString()
                .contains("\"route\":\"POST /reconcile\"")
                .contains("\"OrphansReconciled\":1")
                .contains("\"Name\":\"OrphansReconciled\"");
        assertThat(fixture.send(Fixture.event("POST", "/reconcile", null, Map.of()))
                        .getStatusCode())
                .as("an API key is needed")
                .isEqualTo(401);
    }

    private SweepHandler sweep(Fixture fixture) {
        return new SweepHandler(
                fixture.workers.getInstance(ResumeStalledTenants.class),
                fixture.workers.getInstance(ResumeStalledTenants.Sweep.class),
                fixture.workers.getInstance(LogOutput.class),
                IdleSweep.off(),
                Optional.of(fixture.workers.getInstance(ReconcileTenants.class)));
    }

    @Test
    void givenAStrayTask_whenTheSweepRunsOnItsSchedule_thenItIsReconciledAndCounted() {
        Fixture fixture = new Fixture();
        fixture.adapters.runtime.start(new ContainerSpec(TenantId.of("stray"), HostPort.of(3050), "stray-g1-r0"));

        String result = sweep(fixture).handleRequest(Map.of("detail-type", "Scheduled Event"), null);

        assertThat(result).contains("reconciled: 1 repairs");
        assertThat(fixture.adapters.runtime.live()).isEmpty();
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"route\":\"sweep\"")
                .contains("\"pass\":\"full\"")
                .contains("\"OrphansReconciled\":1")
                .contains("\"LostTasksReconciled\":0");
    }

    @Test
    void givenTheFrequentRestartsPass_whenTheSweepRuns_thenNothingIsReconciled() {
        Fixture fixture = new Fixture();
        fixture.adapters.runtime.start(new ContainerSpec(TenantId.of("stray"), HostPort.of(3050), "stray-g1-r0"));

        String result = sweep(fixture).handleRequest(Map.of("pass", "restarts"), null);

        assertThat(result).doesNotContain("reconciled");
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
        assertThat(fixture.adapters.logLines()).last().asString().contains("\"pass\":\"restarts\"");
    }

    @Test
    void givenACrashedTenantWaitingForItsRestart_whenDescribed_thenItsStatusSaysWhenAndHowOften() {
        Fixture fixture = new Fixture();
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        fixture.taskRunningEvent("user-1");
        var task = fixture.adapters
                .registry
                .find(TenantId.of("user-1"))
                .orElseThrow()
                .task()
                .orElseThrow();
        fixture.adapters.runtime.crash(task, "Essential container in task exited (exit code 1)");
        fixture.ecsHandler().handleRequest(EcsTaskStateHandlerTest.taskEvent(task.value(), "user-1", "STOPPED"), null);

        Map<String, Object> status = json(fixture.send(authorized("GET", "/tenants/user-1", null)));

        assertThat(status)
                .containsEntry("state", "stopped")
                .containsEntry("failure", "container stopped: Essential container in task exited (exit code 1)")
                .containsEntry("crashes", new java.math.BigDecimal(1))
                .containsKey("restartAt");
        assertThat(Instant.parse((String) status.get("restartAt"))).isAfter(Instant.now());
    }

    private static APIGatewayV2HTTPResponse deliver(Fixture fixture, String body, String signature) {
        return fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", signature)));
    }

    private static String signed(String body) {
        return StripeSignature.sign(
                Fixture.STRIPE_SECRET, Instant.now().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givenStripeDeliveriesThatChangeNothing_whenLogged_thenEachLineSaysWhy() {
        Fixture fixture = new Fixture();
        StripeEvents stripe = new StripeEvents();
        String unpaid = stripe.checkout(
                "checkout.session.completed", "user-1", "jane@example.com", "sub_1", "unpaid", Instant.now());
        String otherType = stripe.subscription("customer.subscription.created", "sub_1", "active", Instant.now());

        deliver(fixture, unpaid, signed(unpaid));
        deliver(fixture, otherType, signed(otherType));
        deliver(fixture, unpaid, "t=1,v1=00");
        deliver(fixture, "{not json", signed("{not json"));
        deliver(fixture, "{}", signed("{}"));

        List<String> lines = fixture.adapters.logLines();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0))
                .contains("\"outcome\":\"ignored\"")
                .contains("\"reason\":\"checkout payment is unpaid");
        assertThat(lines.get(1)).contains("\"outcome\":\"ignored\"").contains("\"reason\":\"event type not handled\"");
        assertThat(lines.get(2)).contains("\"outcome\":\"bad_signature\"").contains("\"reason\":\"");
        assertThat(lines.get(3)).contains("\"outcome\":\"malformed_json\"").contains("\"reason\":\"");
        assertThat(lines.get(4))
                .contains("\"outcome\":\"not_an_event\"")
                .contains("\"reason\":\"a Stripe event has an id and a created time\"");
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("\"level\":\"WARN\""));
    }

    @Test
    void givenInvalidHealingSettings_whenWiring_thenEachIsNamedWithItsProblem() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("RESTART_POLICY", "sometimes");
        env.put("MAX_RESTARTS", "0");
        env.put("RESTART_WINDOW", "1d");
        env.put("RESTART_BACKOFF", "5s,soon");
        env.put("MAX_ACTIVE_TENANTS", "none");
        env.put("MAX_CONCURRENT_PROVISIONS", "0");
        env.put("TOMBSTONE_TTL", "1d");

        assertThatThrownBy(() -> Bootstrap.modules(env))
                .hasMessageContaining("RESTART_POLICY is invalid: must be 'on-failure', 'always' or 'never'")
                .hasMessageContaining("MAX_RESTARTS must be between 1 and 100")
                .hasMessageContaining("RESTART_BACKOFF must be durations such as 5s,30s,2m,10m")
                .hasMessageContaining("MAX_ACTIVE_TENANTS must be a whole number")
                .hasMessageContaining("MAX_CONCURRENT_PROVISIONS must be between 1 and 1000")
                .hasMessageContaining("TOMBSTONE_TTL must be between 7d and 3650d");
    }

    @Test
    void givenACheckoutOverTheActiveLimit_whenDelivered_then503SoStripeDeliversItAgainAndTheLineSaysWhy() {
        Fixture fixture = withEnv(Map.of("MAX_ACTIVE_TENANTS", "1"));
        fixture.send(authorized("POST", "/provision", provisionBody("user-9", "z@example.com")));
        String checkout = new StripeEvents().paidCheckout("user-1", "jane@example.com", "sub_1", Instant.now());

        APIGatewayV2HTTPResponse answer = deliver(fixture, checkout, signed(checkout));

        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getHeaders()).containsEntry("retry-after", "300");
        assertThat(json(answer)).containsEntry("code", "limit-reached").containsEntry("title", "Limit reached");
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"outcome\":\"limit_reached\"")
                .contains("\"LimitReached\":1")
                .contains("\"level\":\"WARN\"")
                .contains("MAX_ACTIVE_TENANTS");
        assertThat(fixture.adapters.registry.find(TenantId.of("user-1"))).isEmpty();
    }

    @Test
    void givenAWebhookBodyOverItsCap_whenDelivered_then413AndTheLineSaysWhy() {
        Fixture fixture = new Fixture();
        String huge = "{\"pad\":\"" + "x".repeat(600 * 1024) + "\"}";

        APIGatewayV2HTTPResponse answer = deliver(fixture, huge, signed(huge));

        assertThat(answer.getStatusCode()).isEqualTo(413);
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"outcome\":\"too_large\"")
                .contains("\"reason\":\"the body is over 524288 bytes\"")
                .contains("\"level\":\"WARN\"");
    }

    @Test
    void givenValidHealingSettings_whenRead_thenThePolicyCarriesThem() {
        for (var mode : Map.of(
                        "on-failure", dev.tenantprovisioner.domain.usecase.RestartPolicy.Mode.ON_FAILURE,
                        "always", dev.tenantprovisioner.domain.usecase.RestartPolicy.Mode.ALWAYS,
                        "NEVER", dev.tenantprovisioner.domain.usecase.RestartPolicy.Mode.NEVER)
                .entrySet()) {
            var env = new dev.tenantprovisioner.http.wiring.Env(Map.of(
                    "API_KEYS",
                    Fixture.API_KEY,
                    "RESTART_POLICY",
                    mode.getKey(),
                    "RESTART_BACKOFF",
                    "1s, 2m,1h",
                    "MAX_ACTIVE_TENANTS",
                    "7",
                    "MAX_CONCURRENT_PROVISIONS",
                    "3",
                    "TOMBSTONE_TTL",
                    "30d"));
            var settings = dev.tenantprovisioner.http.wiring.CoreSettings.from(env);
            env.check();

            assertThat(settings.policy().restarts().mode()).isEqualTo(mode.getValue());
            assertThat(settings.policy().restarts().backoff())
                    .containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofHours(1));
            assertThat(settings.policy().limits().maxActiveTenants()).isEqualTo(7);
            assertThat(settings.policy().limits().maxConcurrentProvisions()).isEqualTo(3);
            assertThat(settings.tombstoneTtl()).isEqualTo(Duration.ofDays(30));
        }
        var unset = dev.tenantprovisioner.http.wiring.CoreSettings.from(
                new dev.tenantprovisioner.http.wiring.Env(Map.of("API_KEYS", Fixture.API_KEY)));
        assertThat(unset.policy().restarts()).isEqualTo(dev.tenantprovisioner.domain.usecase.RestartPolicy.defaults());
        assertThat(unset.policy().limits()).isEqualTo(dev.tenantprovisioner.domain.usecase.Limits.none());
        assertThat(unset.tombstoneTtl()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void givenAPauseLongerThanAnHour_whenRead_thenNamedAsAProblem() {
        var env = new dev.tenantprovisioner.http.wiring.Env(
                Map.of("API_KEYS", Fixture.API_KEY, "RESTART_BACKOFF", "5s,2h"));

        var settings = dev.tenantprovisioner.http.wiring.CoreSettings.from(env);

        assertThat(env.problems()).containsExactly("RESTART_BACKOFF: each pause must be at most 1h, was 2h");
        assertThat(settings.policy().restarts().backoff())
                .isEqualTo(dev.tenantprovisioner.domain.usecase.RestartPolicy.DEFAULT_BACKOFF);
    }
}
