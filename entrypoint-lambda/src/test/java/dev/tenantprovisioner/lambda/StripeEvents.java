package dev.tenantprovisioner.lambda;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe events as Stripe sends them, trimmed to fields Stripe documents, shaped after the API reference: the Event
 * object (https://docs.stripe.com/api/events/object: id, object, api_version, created, data.object, livemode,
 * pending_webhooks, request, type), the Checkout Session (https://docs.stripe.com/api/checkout/sessions/object:
 * client_reference_id, customer, customer_details.email, metadata, mode, payment_status, status, subscription), the
 * Invoice (https://docs.stripe.com/api/invoices/object: customer, status, and the subscription as
 * parent.subscription_details.subscription since API version 2025-03-31.basil, as a top-level subscription field
 * before) and the Subscription (https://docs.stripe.com/api/subscriptions/object: id, customer, status, metadata).
 */
final class StripeEvents {

    private final AtomicInteger ids = new AtomicInteger();

    private String envelope(String type, Instant created, String object) {
        return "{\"id\":\"evt_1Q" + ids.incrementAndGet() + "x2eZvKYlo2C\",\"object\":\"event\","
                + "\"api_version\":\"2025-03-31.basil\",\"created\":" + created.getEpochSecond() + ","
                + "\"data\":{\"object\":" + object + "},\"livemode\":false,\"pending_webhooks\":1,"
                + "\"request\":{\"id\":null,\"idempotency_key\":null},\"type\":\"" + type + "\"}";
    }

    /** {@code checkout.session.completed} (or an async payment outcome) of a subscription checkout. */
    String checkout(String type, String tenant, String email, String subscription, String paymentStatus, Instant at) {
        return envelope(
                type,
                at,
                "{\"id\":\"cs_test_a1" + tenant.replace("-", "") + "\",\"object\":\"checkout.session\","
                        + "\"amount_total\":900,\"client_reference_id\":\"" + tenant + "\","
                        + "\"created\":" + at.getEpochSecond() + ",\"currency\":\"usd\",\"customer\":\"cus_"
                        + tenant.replace("-", "") + "\",\"customer_details\":{\"email\":\"" + email
                        + "\",\"name\":\"Jane Doe\"},\"livemode\":false,\"metadata\":{},\"mode\":\"subscription\","
                        + "\"payment_status\":\"" + paymentStatus + "\",\"status\":\"complete\","
                        + "\"subscription\":\"" + subscription + "\"}");
    }

    String paidCheckout(String tenant, String email, String subscription, Instant at) {
        return checkout("checkout.session.completed", tenant, email, subscription, "paid", at);
    }

    /** An invoice event in the current API shape (the subscription under {@code parent}). */
    String invoice(String type, String subscription, Instant at) {
        return envelope(
                type,
                at,
                "{\"id\":\"in_1Q" + ids.incrementAndGet() + "\",\"object\":\"invoice\",\"customer\":\"cus_x\","
                        + "\"status\":\"" + (type.equals("invoice.paid") ? "paid" : "open") + "\","
                        + "\"parent\":{\"type\":\"subscription_details\",\"subscription_details\":{\"metadata\":{},"
                        + "\"subscription\":\"" + subscription + "\"}},\"lines\":{\"object\":\"list\",\"data\":[]}}");
    }

    /** An invoice event as API versions before 2025-03-31 send it (the subscription at the top). */
    String legacyInvoice(String type, String subscription, Instant at) {
        return envelope(
                type,
                at,
                "{\"id\":\"in_1Q" + ids.incrementAndGet() + "\",\"object\":\"invoice\",\"customer\":\"cus_x\","
                        + "\"status\":\"open\",\"subscription\":\"" + subscription + "\"}");
    }

    /** A large invoice: many line items, as a real invoice of a busy subscription carries. */
    String largeInvoice(String type, String subscription, Instant at, int lines) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (i > 0) {
                data.append(',');
            }
            data.append("{\"id\":\"il_1Q")
                    .append(i)
                    .append("\",\"object\":\"line_item\",\"amount\":900,")
                    .append("\"currency\":\"usd\",\"description\":\"1 x Tenant instance (at $9.00 / month)\",")
                    .append("\"metadata\":{},\"quantity\":1}");
        }
        return envelope(
                type,
                at,
                "{\"id\":\"in_1Qlarge\",\"object\":\"invoice\",\"customer\":\"cus_x\",\"status\":\"open\","
                        + "\"parent\":{\"type\":\"subscription_details\",\"subscription_details\":{\"metadata\":{},"
                        + "\"subscription\":\"" + subscription + "\"}},\"lines\":{\"object\":\"list\",\"data\":["
                        + data + "]}}");
    }

    /** {@code customer.subscription.updated} or {@code .deleted}. */
    String subscription(String type, String subscription, String status, Instant at) {
        return envelope(
                type,
                at,
                "{\"id\":\"" + subscription + "\",\"object\":\"subscription\",\"customer\":\"cus_x\","
                        + "\"metadata\":{},\"status\":\"" + status + "\"}");
    }

    static String idOf(String event) {
        int start = event.indexOf("\"id\":\"") + 6;
        return event.substring(start, event.indexOf('"', start));
    }
}
