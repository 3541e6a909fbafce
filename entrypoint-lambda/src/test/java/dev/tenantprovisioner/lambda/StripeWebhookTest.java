package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.http.stripe.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Stripe webhook through the Lambda handler: signed deliveries of events shaped as Stripe sends them. */
class StripeWebhookTest {

    private static final Instant T0 = Instant.now().minus(Duration.ofDays(60));

    private final Fixture fixture = new Fixture();
    private final StripeEvents stripe = new StripeEvents();

    private APIGatewayV2HTTPResponse deliver(String body, String secret, Instant signedAt) {
        String signature =
                StripeSignature.sign(secret, signedAt.getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));
        return fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", signature)));
    }

    /** Stripe signs every delivery afresh, a redelivery days later included. */
    private APIGatewayV2HTTPResponse deliver(String body) {
        return deliver(body, Fixture.STRIPE_SECRET, Instant.now());
    }

    private Lease lease(String tenant) {
        return fixture.adapters.registry.find(TenantId.of(tenant)).orElseThrow();
    }

    private static String action(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return (String) json(response).get("action");
    }

    @Test
    void givenSignedPaidCheckout_whenDelivered_thenTenantProvisionedWithItsStripeIds() {
        APIGatewayV2HTTPResponse response = deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));

        assertThat(json(response)).containsEntry("received", true).containsEntry("action", "provisioned");
        assertThat(lease("user-1").state()).isEqualTo(TenantState.RUNNING);
        assertThat(lease("user-1").billing().orElseThrow().subscription()).contains("sub_1");
        assertThat(lease("user-1").billing().orElseThrow().customer()).contains("cus_user1");
        fixture.taskRunningEvent("user-1");
        assertThat(fixture.adapters.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenAnUnpaidCheckout_whenDelivered_thenIgnoredAndNothingAllocated() {
        String unpaid =
                stripe.checkout("checkout.session.completed", "user-1", "jane@example.com", "sub_1", "unpaid", T0);

        assertThat(action(deliver(unpaid))).isEqualTo("ignored");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenAsyncPayments_whenTheySucceedOrFail_thenOnlyTheSuccessProvisions() {
        deliver(stripe.checkout("checkout.session.completed", "user-1", "a@example.com", "sub_1", "unpaid", T0));
        deliver(stripe.checkout("checkout.session.completed", "user-2", "b@example.com", "sub_2", "unpaid", T0));

        String failed = action(deliver(stripe.checkout(
                "checkout.session.async_payment_failed",
                "user-1",
                "a@example.com",
                "sub_1",
                "unpaid",
                T0.plusSeconds(60))));
        String succeeded = action(deliver(stripe.checkout(
                "checkout.session.async_payment_succeeded",
                "user-2",
                "b@example.com",
                "sub_2",
                "paid",
                T0.plusSeconds(60))));

        assertThat(failed).isEqualTo("ignored");
        assertThat(succeeded).isEqualTo("provisioned");
        assertThat(fixture.adapters.registry.find(TenantId.of("user-1"))).isEmpty();
        assertThat(lease("user-2").state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenPastDue_whenSuspendedThenPaid_thenResumedOnTheSamePortAndLink() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));
        fixture.taskRunningEvent("user-1");
        Lease running = lease("user-1");

        String pastDue = action(deliver(stripe.subscription(
                "customer.subscription.updated", "sub_1", "past_due", T0.plus(Duration.ofDays(30)))));
        assertThat(pastDue).isEqualTo("suspended");
        assertThat(lease("user-1").state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(fixture.adapters.runtime.live()).isEmpty();

        String paid = action(deliver(stripe.invoice("invoice.paid", "sub_1", T0.plus(Duration.ofDays(31)))));

        assertThat(paid).isEqualTo("resumed");
        Lease resumed = lease("user-1");
        assertThat(resumed.state()).isIn(TenantState.CONTAINER_STARTED, TenantState.RUNNING);
        assertThat(resumed.port()).isEqualTo(running.port());
        assertThat(resumed.generation()).as("same tenant, same data").isEqualTo(running.generation());
        fixture.taskRunningEvent("user-1");
        assertThat(fixture.adapters.mailer.accepted())
                .as("no second welcome email")
                .hasSize(1);
    }

    @Test
    void givenAFailedInvoiceInEitherApiShape_whenDelivered_thenTheTenantIsSuspended() {
        deliver(stripe.paidCheckout("user-1", "a@example.com", "sub_1", T0));
        deliver(stripe.paidCheckout("user-2", "b@example.com", "sub_2", T0));

        String current =
                action(deliver(stripe.invoice("invoice.payment_failed", "sub_1", T0.plus(Duration.ofDays(30)))));
        String legacy =
                action(deliver(stripe.legacyInvoice("invoice.payment_failed", "sub_2", T0.plus(Duration.ofDays(30)))));

        assertThat(current).isEqualTo("suspended");
        assertThat(legacy).isEqualTo("suspended");
        assertThat(lease("user-1").state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(lease("user-2").state()).isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenAResubscribedTenant_whenTheOldSubscriptionsCancellationArrives_thenTheTenantKeepsRunning() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_old", T0));
        String oldCancellation =
                stripe.subscription("customer.subscription.deleted", "sub_old", "canceled", T0.plusSeconds(3600));
        assertThat(action(deliver(oldCancellation))).isEqualTo("deprovisioned");
        assertThat(action(deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_new", T0.plusSeconds(7200)))))
                .isEqualTo("provisioned");

        String lateCopy =
                stripe.subscription("customer.subscription.deleted", "sub_old", "canceled", T0.plusSeconds(3600));

        assertThat(action(deliver(lateCopy))).isEqualTo("ignored");
        assertThat(lease("user-1").state()).isEqualTo(TenantState.RUNNING);
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    void givenACancellationOvertakingItsCheckout_whenTheCheckoutArrives_thenTheTenantIsNeverStarted() {
        String cancel = stripe.subscription("customer.subscription.deleted", "sub_1", "canceled", T0.plusSeconds(30));

        String cancelled = action(deliver(cancel));
        APIGatewayV2HTTPResponse lateCheckout = deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));

        assertThat(cancelled).isEqualTo("ignored");
        assertThat(action(lateCheckout)).isEqualTo("ignored");
        assertThat((String) json(lateCheckout).get("detail"))
                .contains("was cancelled: a checkout for it provisions nothing");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
        assertThat(fixture.adapters.runtime.all()).isEmpty();
    }

    @Test
    void givenAnAppliedEvent_whenRedeliveredADayLater_thenNothingChanges() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));
        String failed = stripe.invoice("invoice.payment_failed", "sub_1", T0.plus(Duration.ofDays(30)));
        deliver(failed);
        deliver(stripe.invoice("invoice.paid", "sub_1", T0.plus(Duration.ofDays(31))));
        long version = lease("user-1").version();

        APIGatewayV2HTTPResponse redelivered = deliver(failed, Fixture.STRIPE_SECRET, Instant.now());

        assertThat(action(redelivered)).isEqualTo("ignored");
        assertThat((String) json(redelivered).get("detail")).contains("applied already");
        assertThat(lease("user-1").state()).isNotEqualTo(TenantState.SUSPENDED);
        assertThat(lease("user-1").version()).isEqualTo(version);
    }

    @Test
    void givenEventsThatCannotApply_whenDelivered_thenEachIsIgnoredWithItsReasonAndNothingChanges() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));
        deliver(stripe.subscription("customer.subscription.deleted", "sub_1", "canceled", T0.plusSeconds(60)));
        long version = lease("user-1").version();

        APIGatewayV2HTTPResponse unknown = deliver(stripe.invoice("invoice.paid", "sub_nobody", T0.plusSeconds(90)));
        APIGatewayV2HTTPResponse deprovisioned = deliver(stripe.invoice("invoice.paid", "sub_1", T0.plusSeconds(120)));
        APIGatewayV2HTTPResponse otherType =
                deliver(stripe.subscription("customer.subscription.created", "sub_1", "active", T0.plusSeconds(150)));

        assertThat(action(unknown)).isEqualTo("ignored");
        assertThat((String) json(unknown).get("detail")).contains("sub_nobody");
        assertThat(action(deprovisioned)).isEqualTo("ignored");
        assertThat((String) json(deprovisioned).get("detail")).contains("deprovisioned");
        assertThat(action(otherType)).isEqualTo("ignored");
        assertThat((String) json(otherType).get("detail")).contains("not handled");
        assertThat(lease("user-1").version()).isEqualTo(version);
    }

    @Test
    void givenAnEventAsLargeAsStripesReal_whenDelivered_thenAcceptedWhileTheSignupCapStays() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));
        String large = stripe.largeInvoice("invoice.payment_failed", "sub_1", T0.plus(Duration.ofDays(30)), 800);
        assertThat(large.length()).isGreaterThan(100 * 1024);

        assertThat(action(deliver(large))).isEqualTo("suspended");
        APIGatewayV2HTTPResponse bigSignup = fixture.send(Fixture.authorized(
                "POST",
                "/provision",
                "{\"userId\":\"user-2\",\"email\":\"b@example.com\",\"x\":\"" + "a".repeat(17 * 1024) + "\"}"));
        assertThat(bigSignup.getStatusCode()).isEqualTo(413);
    }

    @Test
    void givenSignatureFromRotatedSecret_whenDelivered_thenAccepted() {
        APIGatewayV2HTTPResponse response = deliver(
                stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0),
                Fixture.ROTATED_STRIPE_SECRET,
                Instant.now());

        assertThat(action(response)).isEqualTo("provisioned");
    }

    @Test
    void givenHeaderWithOldAndNewSignatures_whenOneMatches_thenAccepted() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0);
        long t = Instant.now().getEpochSecond();
        String good = StripeSignature.sign(Fixture.STRIPE_SECRET, t, body.getBytes(StandardCharsets.UTF_8));
        String header =
                "t=" + t + ",v1=" + "ab".repeat(32) + "," + good.substring(good.indexOf("v1=")) + ",v0=deadbeef";

        APIGatewayV2HTTPResponse response =
                fixture.send(event("POST", "/webhooks/stripe", body, Map.of("stripe-signature", header)));

        assertThat(action(response)).isEqualTo("provisioned");
    }

    @Test
    void givenWrongSecret_whenDelivered_then400AndNothingChanges() {
        APIGatewayV2HTTPResponse response = deliver(
                stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0), "whsec_someone_else", Instant.now());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("code", "bad-signature");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenExpiredTimestamp_whenDelivered_then400AndNothingChanges() {
        APIGatewayV2HTTPResponse response = deliver(
                stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0),
                Fixture.STRIPE_SECRET,
                Instant.now().minusSeconds(301));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat((String) json(response).get("detail")).contains("tolerance");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenTamperedBody_whenDelivered_then400AndNothingChanges() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0);
        long t = Instant.now().getEpochSecond();
        String header = StripeSignature.sign(Fixture.STRIPE_SECRET, t, body.getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse response = fixture.send(event(
                "POST", "/webhooks/stripe", body.replace("user-1", "user-2"), Map.of("stripe-signature", header)));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenMissingSignature_whenDelivered_then400() {
        APIGatewayV2HTTPResponse response = fixture.send(event(
                "POST", "/webhooks/stripe", stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0), Map.of()));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat((String) json(response).get("detail")).contains("missing");
    }

    @Test
    void givenSignedBodyThatIsNotAnEvent_whenDelivered_then400NamingTheProblem() {
        APIGatewayV2HTTPResponse response = deliver("{\"type\":\"invoice.paid\"}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("code", "not-an-event");
    }

    @Test
    void givenBase64EncodedBody_whenDelivered_thenSignatureCheckedOnTheRawBytes() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0);
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
    void givenCheckoutWithTenantInMetadata_whenDelivered_thenProvisioned() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0)
                .replace("\"client_reference_id\":\"user-1\",", "")
                .replace("\"metadata\":{}", "\"metadata\":{\"tenant_id\":\"user-7\"}");

        assertThat(action(deliver(body))).isEqualTo("provisioned");
        assertThat(lease("user-7").state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenNoCapacity_whenAPaidCheckoutIsDelivered_then503WithRetryAfterSoStripeDeliversItAgain() {
        fixture.adapters.runtime.withCapacity(0);
        String checkout = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0);

        APIGatewayV2HTTPResponse full = deliver(checkout);

        assertThat(full.getStatusCode()).isEqualTo(503);
        assertThat(full.getHeaders()).containsEntry("retry-after", "300");
        assertThat(json(full)).containsEntry("type", "urn:tenant-provisioner:problem:no-capacity");

        fixture.adapters.runtime.withCapacity(10);
        assertThat(action(deliver(checkout)))
                .as("not remembered as applied: the redelivery provisions")
                .isIn("provisioned", "already_provisioned");
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    void givenASuspendedContainerStillUp_whenTheInvoiceIsPaid_then503BusyAndTheRedeliveryResumes() {
        deliver(stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0));
        fixture.taskRunningEvent("user-1");
        fixture.adapters.runtime.failNextCall(new InfrastructureException("ECS unreachable", true));
        deliver(stripe.invoice("invoice.payment_failed", "sub_1", T0.plus(Duration.ofDays(30))));
        assertThat(lease("user-1").state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(fixture.adapters.runtime.live()).as("its stop failed").hasSize(1);
        String paid = stripe.invoice("invoice.paid", "sub_1", T0.plus(Duration.ofDays(31)));

        APIGatewayV2HTTPResponse busy = deliver(paid);

        assertThat(busy.getStatusCode()).isEqualTo(503);
        assertThat(busy.getHeaders()).containsEntry("retry-after", "30");
        assertThat(json(busy)).containsEntry("type", "urn:tenant-provisioner:problem:busy");
        assertThat(action(deliver(paid))).isEqualTo("resumed");
        assertThat(fixture.adapters.runtime.live()).hasSize(1);
    }

    @Test
    void givenATenantOfAnotherEmail_whenItsCheckoutIsDelivered_thenRejectedNamingTheTenantAndNothingChanges() {
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "owner@example.com")));
        long version = lease("user-1").version();

        APIGatewayV2HTTPResponse response = deliver(stripe.paidCheckout("user-1", "stranger@example.com", "sub_9", T0));

        assertThat(action(response)).isEqualTo("rejected");
        assertThat(lease("user-1").version()).isEqualTo(version);
    }

    @Test
    void givenACheckoutWithExpandedObjectsAndTheEmailOnlyAtTheTop_whenDelivered_thenTheIdsAreReadFromThem() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0)
                .replace(
                        "\"subscription\":\"sub_1\"", "\"subscription\":{\"id\":\"sub_1\",\"object\":\"subscription\"}")
                .replace(
                        "\"customer_details\":{\"email\":\"jane@example.com\",\"name\":\"Jane Doe\"}",
                        "\"customer_details\":null,\"customer_email\":\"jane@example.com\"");

        APIGatewayV2HTTPResponse response = deliver(body);

        assertThat(json(response)).containsEntry("action", "provisioned").containsEntry("tenantId", "user-1");
        assertThat(lease("user-1").billing().orElseThrow().subscription()).contains("sub_1");
        assertThat(lease("user-1").email().orElseThrow().value()).isEqualTo("jane@example.com");
    }

    @Test
    void givenACustomerIdThatIsNotAStripeId_whenDelivered_thenItIsNotStored() {
        String body = stripe.paidCheckout("user-1", "jane@example.com", "sub_1", T0)
                .replace("\"customer\":\"cus_user1\"", "\"customer\":\"cus_<script>\"");

        assertThat(action(deliver(body))).isEqualTo("provisioned");
        assertThat(lease("user-1").billing().orElseThrow().customer()).isEmpty();
        assertThat(lease("user-1").billing().orElseThrow().subscription()).contains("sub_1");
    }
}
