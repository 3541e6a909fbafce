package dev.tenantprovisioner.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tenant's lease knows of its billing: the payment provider's customer and subscription (a Stripe
 * {@code cus_...} and {@code sub_...}; a one-time payment has no subscription) and the provider's own time of the
 * last billing event applied to the tenant, so an older event delivered late changes nothing.
 */
public record Billing(Optional<String> customer, Optional<String> subscription, Instant lastEventAt) {

    public Billing {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(lastEventAt, "lastEventAt");
        customer.ifPresent(id -> requireId(id, "customer"));
        subscription.ifPresent(id -> requireId(id, "subscription"));
    }

    /** The same billing, as of a later event. */
    public Billing at(Instant eventAt) {
        return new Billing(customer, subscription, eventAt.isAfter(lastEventAt) ? eventAt : lastEventAt);
    }

    private static void requireId(String id, String field) {
        if (!id.matches("[A-Za-z0-9_]{1,255}")) {
            throw new InvalidValueException(
                    field, "a billing " + field + " id is letters, digits and _, was '" + id + "'");
        }
    }
}
