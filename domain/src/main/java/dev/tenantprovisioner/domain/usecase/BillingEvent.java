package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A billing event, as the webhook maps the payment provider's event onto it (Stripe: the event's id, type and
 * {@code created} time, and the fields of its object the rules read).
 *
 * @param id                 the provider's event id ({@code evt_...}), for deduplication
 * @param kind               what happened
 * @param created            the provider's time of the event: the only clock billing events are ordered by
 * @param tenant             the tenant a checkout is for ({@code client_reference_id}); later events do not name it
 * @param email              the customer's email on a checkout
 * @param customer           the provider's customer ({@code cus_...})
 * @param subscription       the provider's subscription ({@code sub_...}) the event is about, or that a checkout made
 * @param paymentStatus      a checkout's {@code payment_status}: {@code paid}, {@code unpaid}, {@code no_payment_required}
 * @param subscriptionStatus a subscription's {@code status}: {@code active}, {@code past_due}, {@code unpaid}...
 */
public record BillingEvent(
        String id,
        Kind kind,
        Instant created,
        Optional<TenantId> tenant,
        Optional<Email> email,
        Optional<String> customer,
        Optional<String> subscription,
        Optional<String> paymentStatus,
        Optional<String> subscriptionStatus) {

    /** The events the rules act on; everything else is {@link #OTHER}. */
    public enum Kind {
        CHECKOUT_COMPLETED,
        CHECKOUT_ASYNC_PAYMENT_SUCCEEDED,
        CHECKOUT_ASYNC_PAYMENT_FAILED,
        INVOICE_PAID,
        INVOICE_PAYMENT_FAILED,
        SUBSCRIPTION_UPDATED,
        SUBSCRIPTION_DELETED,
        OTHER
    }

    public BillingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(paymentStatus, "paymentStatus");
        Objects.requireNonNull(subscriptionStatus, "subscriptionStatus");
    }
}
