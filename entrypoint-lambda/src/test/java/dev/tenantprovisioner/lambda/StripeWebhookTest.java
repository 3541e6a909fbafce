package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.http.stripe.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeWebhookTest {

    private final Fixture fixture = new Fixture();
    private long eventCounter;

    private String checkout(String tenant, String email, Instant created) {
        return "{\"id\":\"evt_" + (++eventCounter) + "\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                + "\"created\":" + created.getEpochSecond() + ",\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"cs_test_1\",\"object\":\"checkout.session\","
                + "\"client_reference_id\":\"" + tenant + "\",\"customer\":\"cus_1\","
                + "\"customer_details\":{\"email\":\"" + email + "\",\"name\":\"Jane\"},"
                + "\"metadata\":{},\"mode\":\"subscription\",\"payment_status\":\"paid\",\"subscription\":\"sub_1\"}}}";
    }

    private String cancellation(String tenant, Instant created) {
        return "{\"id\":\"evt_" + (++eventCounter)
                + "\",\"object\":\"event\",\"type\":\"customer.subscription.deleted\","
                + "\"created\":" + created.getEpochSecond() + ","
                + "\"data\":{\"object\":{\"id\":\"sub_1\",\"object\":\"subscription\",\"status\":\"canceled\","
                + "\"metadata\":{\"tenant_id\":\"" + tenant + "\"}}}}";
    }

    private APIGatewayV2HTTPResponse deliver(String body, String secret, Instant signedAt) {
        String signature =
                StripeSignature.sign(secret, signedAt.getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));
        return fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", signature)));
    }

    private APIGatewayV2HTTPResponse deliver(String body) {
        return deliver(body, Fixture.STRIPE_SECRET, Instant.now());
    }

    private TenantState stateOf(String tenant) {
        return fixture.adapters.registry.find(TenantId.of(tenant)).orElseThrow().state();
    }

    @Test
    void givenSignedCheckout_whenDelivered_thenTenantProvisioned() {
        APIGatewayV2HTTPResponse response = deliver(checkout("user-1", "jane@example.com", Instant.now()));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("received", true).containsEntry("action", "provisioned");
        assertThat(stateOf("user-1")).isEqualTo(TenantState.RUNNING);
        fixture.taskRunningEvent("user-1");
        assertThat(fixture.adapters.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenCheckoutDeliveredTwice_whenHandled_thenOneTenantOneContainerOneEmail() {
        String body = checkout("user-1", "jane@example.com", Instant.now());

        deliver(body);
        fixture.taskRunningEvent("user-1");
        APIGatewayV2HTTPResponse duplicate = deliver(body);

        assertThat(json(duplicate)).containsEntry("action", "already_provisioned");
        assertThat(fixture.adapters.runtime.all()).hasSize(1);
        assertThat(fixture.adapters.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenSignatureFromRotatedSecret_whenDelivered_thenAccepted() {
        APIGatewayV2HTTPResponse response = deliver(
                checkout("user-1", "jane@example.com", Instant.now()), Fixture.ROTATED_STRIPE_SECRET, Instant.now());

        assertThat(json(response)).containsEntry("action", "provisioned");
    }

    @Test
    void givenHeaderWithOldAndNewSignatures_whenOneMatches_thenAccepted() {
        String body = checkout("user-1", "jane@example.com", Instant.now());
        long t = Instant.now().getEpochSecond();
        String good = StripeSignature.sign(Fixture.STRIPE_SECRET, t, body.getBytes(StandardCharsets.UTF_8));
        String header =
                "t=" + t + ",v1=" + "ab".repeat(32) + "," + good.substring(good.indexOf("v1=")) + ",v0=deadbeef";

        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", header)));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("action", "provisioned");
        assertThat(stateOf("user-1")).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenWrongSecret_whenDelivered_then400AndNothingChanges() {
        APIGatewayV2HTTPResponse response =
                deliver(checkout("user-1", "jane@example.com", Instant.now()), "whsec_someone_else", Instant.now());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("code", "bad-signature");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenExpiredTimestamp_whenDelivered_then400AndNothingChanges() {
        APIGatewayV2HTTPResponse response = deliver(
                checkout("user-1", "jane@example.com", Instant.now()),
                Fixture.STRIPE_SECRET,
                Instant.now().minusSeconds(301));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat((String) json(response).get("detail")).contains("tolerance");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenTamperedBody_whenDelivered_then400AndNothingChanges() {
        String body = checkout("user-1", "jane@example.com", Instant.now());
        long t = Instant.now().getEpochSecond();
        String header = StripeSignature.sign(Fixture.STRIPE_SECRET, t, body.getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse response = fixture.send(event(
                "POST", "/webhooks/stripe", body.replace("user-1", "user-2"), Map.of("stripe-signature", header)));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenMissingSignature_whenDelivered_then400() {
        APIGatewayV2HTTPResponse response = fixture.send(
                event("POST", "/webhooks/stripe", checkout("user-1", "jane@example.com", Instant.now()), Map.of()));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat((String) json(response).get("detail")).contains("missing");
    }

    @Test
    void givenBase64EncodedBody_whenDelivered_thenSignatureCheckedOnTheRawBytes() {
        String body = checkout("user-1", "jane@example.com", Instant.now());
        long t = Instant.now().getEpochSecond();
        String header = StripeSignature.sign(Fixture.STRIPE_SECRET, t, body.getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPEvent event = event(
                "POST",
                "/webhooks/stripe",
                Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)),
                Map.of("stripe-signature", header));
        event.setIsBase64Encoded(true);

        assertThat(json(fixture.send(event))).containsEntry("action", "provisioned");
    }

    @Test
    void givenCancellationOvertakingItsCheckout_whenCheckoutArrives_thenTenantIsNeverStarted() {
        Instant checkoutCreated = Instant.now().minusSeconds(60);
        Instant cancelCreated = Instant.now().minusSeconds(30);

        APIGatewayV2HTTPResponse cancel = deliver(cancellation("user-1", cancelCreated));
        APIGatewayV2HTTPResponse lateCheckout = deliver(checkout("user-1", "jane@example.com", checkoutCreated));

        assertThat(json(cancel)).containsEntry("action", "deprovisioned");
        assertThat(json(lateCheckout)).containsEntry("action", "ignored");
        assertThat(stateOf("user-1")).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(fixture.adapters.runtime.all()).isEmpty();
        assertThat(fixture.adapters.mailer.attempts()).isZero();
    }

    @Test
    void givenCancelledTenant_whenNewerCheckoutArrives_thenTenantComesBack() throws Exception {
        deliver(checkout("user-1", "jane@example.com", Instant.now().minusSeconds(120)));
        fixture.taskRunningEvent("user-1");
        deliver(cancellation("user-1", Instant.now().minusSeconds(60)));
        Thread.sleep(1100);

        APIGatewayV2HTTPResponse resubscribe =
                deliver(checkout("user-1", "jane@example.com", Instant.now().plusSeconds(1)));

        assertThat(json(resubscribe)).containsEntry("action", "provisioned");
        assertThat(stateOf("user-1")).isEqualTo(TenantState.RUNNING);
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
        fixture.taskRunningEvent("user-1");
        assertThat(fixture.adapters.mailer.delivered()).hasSize(2);
    }

    @Test
    void givenResubscribedTenant_whenOldCancellationIsRedelivered_thenIgnored() throws Exception {
        deliver(checkout("user-1", "jane@example.com", Instant.now().minusSeconds(120)));
        String oldCancellation = cancellation("user-1", Instant.now().minusSeconds(60));
        deliver(oldCancellation);
        Thread.sleep(1100);
        deliver(checkout("user-1", "jane@example.com", Instant.now().plusSeconds(1)));

        APIGatewayV2HTTPResponse redelivered = deliver(oldCancellation);

        assertThat(json(redelivered)).containsEntry("action", "ignored");
        assertThat(stateOf("user-1")).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenCheckoutWithoutTenantId_whenDelivered_thenAcknowledgedAndIgnored() {
        String body = checkout("user-1", "jane@example.com", Instant.now())
                .replace("\"client_reference_id\":\"user-1\",", "");

        APIGatewayV2HTTPResponse response = deliver(body);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("action", "ignored");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenCheckoutWithTenantInMetadata_whenDelivered_thenProvisioned() {
        String body = checkout("user-1", "jane@example.com", Instant.now())
                .replace("\"client_reference_id\":\"user-1\",", "")
                .replace("\"metadata\":{}", "\"metadata\":{\"tenant_id\":\"user-7\"}");

        assertThat(json(deliver(body))).containsEntry("action", "provisioned");
        assertThat(stateOf("user-7")).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenUnknownEventType_whenDelivered_thenAcknowledgedAndIgnored() {
        String body = "{\"id\":\"evt_9\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{}}}";

        APIGatewayV2HTTPResponse response = deliver(body);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("action", "ignored");
    }
}
