package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.http.stripe.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** No request body, however malformed, gets a 5xx or changes the registry. */
class MalformedInputProperties {

    private static final String VALID = "{\"userId\":\"user-1\",\"email\":\"jane@example.com\"}";

    @Property(tries = 400)
    void givenAnyMangledProvisionBody_thenNever5xxAndRefusalsChangeNothing(@ForAll("mangledBodies") String body) {
        Fixture fixture = new Fixture();

        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/provision", body, Map.of("x-api-key", Fixture.API_KEY)));

        assertThat(response.getStatusCode())
                .as("body %s answered %s", body, response.getBody())
                .isLessThan(500);
        List<Lease> leases = fixture.adapters.registry.list(10);
        if (response.getStatusCode() >= 400) {
            assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
            assertThat(leases).isEmpty();
            assertThat(fixture.adapters.runtime.all()).isEmpty();
        } else {
            assertThat(leases).hasSize(1);
        }
    }

    @Property(tries = 200)
    void givenAnyBodyWithABadSignature_thenRefusedBeforeItIsRead(
            @ForAll("mangledBodies") String body, @ForAll("signatureHeaders") String signature) {
        Fixture fixture = new Fixture();

        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", signature)));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Fixture.json(response)).containsEntry("code", "bad-signature");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Property(tries = 300)
    void givenAnyBodyCorrectlySigned_thenTheParserSeesItAndNeverAnswers5xxNorChangesAnything(
            @ForAll("mangledBodies") String body) {
        Fixture fixture = new Fixture();
        String signature = StripeSignature.sign(
                Fixture.STRIPE_SECRET, Instant.now().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", signature)));

        assertThat(response.getStatusCode())
                .as("body %s answered %s", body, response.getBody())
                .isIn(200, 400);
        String code = String.valueOf(Fixture.json(response).get("code"));
        if (response.getStatusCode() == 400) {
            assertThat(code).as(body).isIn("malformed-json", "not-an-event");
        } else {
            assertThat(Fixture.json(response)).as(body).containsEntry("action", "ignored");
        }
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
        Statistics.collect(
                response.getStatusCode() == 200
                        ? "read and ignored"
                        : code.equals("malformed-json") ? "refused as malformed" : "refused as not an event");
        Statistics.coverage(coverage -> {
            coverage.check("refused as malformed").percentage(p -> p > 20);
            coverage.check("refused as not an event").percentage(p -> p > 1);
            coverage.check("read and ignored").percentage(p -> p > 5);
        });
    }

    @Provide
    Arbitrary<String> mangledBodies() {
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings()
                .withChars("{}[]\":,0123456789.-+eEtrufalsn\\u \t\n")
                .ofMaxLength(80);
        Arbitrary<String> mutated = Combinators.combine(
                        Arbitraries.integers().between(0, VALID.length()),
                        Arbitraries.integers().between(0, 6),
                        Arbitraries.strings().ofMaxLength(6))
                .as((at, cut, insert) -> {
                    int end = Math.min(VALID.length(), at + cut);
                    return VALID.substring(0, at) + insert + VALID.substring(end);
                });
        Arbitrary<String> deep = Arbitraries.integers().between(60, 5000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> wrongTypes = Arbitraries.of(
                "null",
                "true",
                "1e999999999",
                "\"user-1\"",
                "{\"userId\":null}",
                "{\"userId\":[],\"email\":{}}",
                "{\"userId\":\"user-1\",\"email\":\"jane@example.com\",\"revive\":1}",
                "{\"userId\":\"" + "a".repeat(37) + "\",\"email\":\"jane@example.com\"}",
                "\uFEFF" + VALID,
                VALID + "x");
        // Events in Stripe's envelope (https://docs.stripe.com/api/events/object) of any type, with objects that
        // name no tenant, subscription or payment the rules could act on.
        Arbitrary<String> events = Combinators.combine(
                        Arbitraries.of(
                                "checkout.session.completed",
                                "checkout.session.async_payment_succeeded",
                                "invoice.paid",
                                "invoice.payment_failed",
                                "customer.subscription.updated",
                                "customer.subscription.deleted",
                                "charge.refunded"),
                        Arbitraries.longs().between(0, 4_102_444_800L),
                        Arbitraries.of(
                                "{}",
                                "{\"subscription\":\"sub_unknown\"}",
                                "{\"id\":\"sub_unknown\",\"status\":\"past_due\"}",
                                "{\"client_reference_id\":\"user-1\",\"payment_status\":\"unpaid\"}",
                                "{\"customer\":{\"id\":[]}}"))
                .as((type, created, object) -> "{\"id\":\"evt_" + created + "\",\"object\":\"event\",\"type\":\"" + type
                        + "\",\"created\":" + created + ",\"data\":{\"object\":" + object + "}}");
        return Arbitraries.oneOf(anyText, jsonish, mutated, deep, wrongTypes, events);
    }

    @Provide
    Arbitrary<String> signatureHeaders() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(120),
                Arbitraries.longs().map(t -> "t=" + t + ",v1=" + "0".repeat(64)),
                Arbitraries.just("t=,v1="),
                Arbitraries.just("v1=abc"));
    }
}
