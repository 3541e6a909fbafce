package dev.tenantprovisioner.domain.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * What billing events need remembered beyond a tenant's lease (a driven port): which tenant a subscription pays for
 * (the payment provider names the subscription in later events, not the tenant), a cancellation that arrived before
 * its checkout, and the ids of events already applied, so a redelivery days later is a no-op.
 */
public interface BillingRecords {

    /** What is known of a subscription; empty if nothing is. */
    Optional<SubscriptionRecord> subscription(String subscriptionId);

    /** Records the subscription (a later save replaces an earlier one). */
    void save(SubscriptionRecord record);

    /** Whether the event was applied already (and is still remembered). */
    boolean processed(String eventId);

    /** Remembers that the event was applied, until {@code forgetAt}. */
    void markProcessed(String eventId, Instant forgetAt);
}
