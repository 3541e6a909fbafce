package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription as billing knows it: the tenant it pays for (once its checkout was applied) and, if it was cancelled,
 * the payment provider's time of the cancellation.
 */
public record SubscriptionRecord(String subscription, Optional<TenantId> tenant, Optional<Instant> cancelledAt) {

    public SubscriptionRecord {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cancelledAt, "cancelledAt");
        if (!subscription.matches("[A-Za-z0-9_]{1,255}")) {
            throw new IllegalArgumentException("subscription: letters, digits and _ only, was '" + subscription + "'");
        }
    }

    /** The subscription paying for {@code payer}, as its checkout is applied. */
    public static SubscriptionRecord paying(String subscription, TenantId payer) {
        return new SubscriptionRecord(subscription, Optional.of(payer), Optional.empty());
    }

    /** This subscription, cancelled at {@code at} (the provider's time). */
    public SubscriptionRecord cancelled(Instant at) {
        return new SubscriptionRecord(subscription, tenant, Optional.of(at));
    }
}
