package dev.tenantprovisioner.http.stripe;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ApplyBillingEvent;
import dev.tenantprovisioner.domain.usecase.BillingEvent;
import dev.tenantprovisioner.domain.usecase.BillingOutcome;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.RequestLog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The payment trigger: verifies Stripe's signature, parses the event and maps it onto a {@link BillingEvent}; what the
 * event does is the domain's ({@link ApplyBillingEvent}). Every event handled is in the README's table.
 *
 * <p>Field by field, after Stripe's API reference (https://docs.stripe.com/api): an event's {@code id}, {@code type},
 * {@code created} (Unix seconds) and {@code data.object}; a Checkout Session's {@code client_reference_id},
 * {@code customer_details.email} (or {@code customer_email}), {@code customer}, {@code subscription} and
 * {@code payment_status}; an Invoice's {@code customer} and its subscription, {@code subscription} in API versions
 * before 2025-03-31 and {@code parent.subscription_details.subscription} since; a Subscription's {@code id},
 * {@code customer} and {@code status}. An expandable field may arrive as an id or as the expanded object.
 */
public final class StripeWebhook implements HttpApi.StripeRoute {

    private final StripeSignature signature;
    private final ApplyBillingEvent billing;

    public StripeWebhook(StripeSignature signature, ApplyBillingEvent billing) {
        this.signature = signature;
        this.billing = billing;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestLog log) {
        Optional<String> bad = signature.problemWith(request.header("stripe-signature"), request.body());
        if (bad.isPresent()) {
            log.warn();
            log.put("outcome", "bad_signature");
            log.put("reason", bad.get());
            return Problem.of(400, "bad-signature", "Bad signature", bad.get());
        }
        Map<String, Object> event;
        try {
            event = Json.parseObject(request.bodyText());
        } catch (Json.MalformedJsonException malformed) {
            log.warn();
            log.put("outcome", "malformed_json");
            log.put("reason", malformed.getMessage());
            return Problem.of(400, "malformed-json", "Malformed JSON", malformed.getMessage());
        }
        Optional<String> id = text(event, "id");
        Optional<BigDecimal> created = number(event, "created");
        if (id.isEmpty() || created.isEmpty()) {
            String reason = "a Stripe event has an id and a created time";
            log.warn();
            log.put("outcome", "not_an_event");
            log.put("reason", reason);
            return Problem.of(400, "not-an-event", "Not a Stripe event", reason);
        }
        String type = text(event, "type").orElse("");
        log.put("stripeEvent", id.get()).put("stripeType", type);
        BillingOutcome outcome = billing.apply(toBillingEvent(
                id.get(), type, Instant.ofEpochSecond(created.get().longValue()), map(map(event, "data"), "object")));
        outcome.tenant()
                .ifPresent(tenant -> log.put("tenant", tenant.lease().tenant().value()));
        log.put("outcome", outcome.action().label());
        if (outcome.action() == BillingOutcome.Action.PROVISIONED) {
            log.count(RequestLog.PROVISIONED);
        } else if (outcome.action() == BillingOutcome.Action.NO_CAPACITY) {
            log.count(RequestLog.NO_CAPACITY);
        }
        if (outcome.action() == BillingOutcome.Action.LIMIT_REACHED) {
            log.count(RequestLog.LIMIT_REACHED);
        }
        if (outcome.retryLater()) {
            log.warn();
            log.put("reason", outcome.detail());
            // A 5xx makes Stripe deliver the event again later, when there may be room (or the container is down).
            boolean noCapacity = outcome.action() == BillingOutcome.Action.NO_CAPACITY;
            boolean limit = outcome.action() == BillingOutcome.Action.LIMIT_REACHED;
            return Problem.of(
                            503,
                            noCapacity ? "no-capacity" : limit ? "limit-reached" : "busy",
                            noCapacity ? "No capacity" : limit ? "Limit reached" : "Busy",
                            outcome.detail())
                    .withHeader("retry-after", noCapacity || limit ? "300" : "30");
        }
        if (outcome.action() == BillingOutcome.Action.IGNORED || outcome.action() == BillingOutcome.Action.REJECTED) {
            log.warn();
            // Why the delivery changed nothing, in the same line as the event it was about.
            log.put("reason", outcome.detail());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", true);
        body.put("action", outcome.action().label());
        body.put("detail", outcome.detail());
        outcome.tenant()
                .ifPresent(
                        tenant -> body.put("tenantId", tenant.lease().tenant().value()));
        return ApiResponse.json(200, body);
    }

    static BillingEvent toBillingEvent(String id, String type, Instant created, Map<String, Object> object) {
        BillingEvent.Kind kind = kindOf(type);
        boolean checkout = type.startsWith("checkout.session.");
        boolean invoice = type.startsWith("invoice.");
        Optional<String> subscription = checkout
                ? idOf(object, "subscription")
                : invoice
                        ? idOf(object, "subscription")
                                .or(() -> text(map(map(object, "parent"), "subscription_details"), "subscription"))
                        : type.startsWith("customer.subscription.") ? text(object, "id") : Optional.empty();
        return new BillingEvent(
                id,
                kind,
                created,
                checkout ? tenantOf(object) : Optional.empty(),
                checkout
                        ? emailOf(
                                text(map(object, "customer_details"), "email").or(() -> text(object, "customer_email")))
                        : Optional.empty(),
                idOf(object, "customer").filter(StripeWebhook::plainId),
                subscription.filter(StripeWebhook::plainId),
                checkout ? text(object, "payment_status") : Optional.empty(),
                type.startsWith("customer.subscription.") ? text(object, "status") : Optional.empty());
    }

    private static BillingEvent.Kind kindOf(String type) {
        switch (type) {
            case "checkout.session.completed":
                return BillingEvent.Kind.CHECKOUT_COMPLETED;
            case "checkout.session.async_payment_succeeded":
                return BillingEvent.Kind.CHECKOUT_ASYNC_PAYMENT_SUCCEEDED;
            case "checkout.session.async_payment_failed":
                return BillingEvent.Kind.CHECKOUT_ASYNC_PAYMENT_FAILED;
            case "invoice.paid":
                return BillingEvent.Kind.INVOICE_PAID;
            case "invoice.payment_failed":
                return BillingEvent.Kind.INVOICE_PAYMENT_FAILED;
            case "customer.subscription.updated":
                return BillingEvent.Kind.SUBSCRIPTION_UPDATED;
            case "customer.subscription.deleted":
                return BillingEvent.Kind.SUBSCRIPTION_DELETED;
            default:
                return BillingEvent.Kind.OTHER;
        }
    }

    private static Optional<TenantId> tenantOf(Map<String, Object> session) {
        Map<String, Object> metadata = map(session, "metadata");
        Optional<String> raw = text(session, "client_reference_id")
                .or(() -> text(metadata, "tenant_id"))
                .or(() -> text(metadata, "userId"));
        try {
            return raw.map(TenantId::of);
        } catch (InvalidValueException bad) {
            return Optional.empty();
        }
    }

    private static Optional<Email> emailOf(Optional<String> raw) {
        try {
            return raw.map(Email::of);
        } catch (InvalidValueException bad) {
            return Optional.empty();
        }
    }

    /** An expandable field: the id, or the expanded object's {@code id}. */
    private static Optional<String> idOf(Map<String, Object> object, String key) {
        return text(object, key).or(() -> text(map(object, key), "id"));
    }

    private static boolean plainId(String id) {
        return id.matches("[A-Za-z0-9_]{1,255}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    private static Optional<String> text(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    private static Optional<BigDecimal> number(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof BigDecimal n ? Optional.of(n) : Optional.empty();
    }
}
