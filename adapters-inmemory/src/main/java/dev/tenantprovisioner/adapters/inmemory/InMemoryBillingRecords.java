package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.SubscriptionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Billing records in memory: subscriptions by id, applied events until they are forgotten. Thread-safe. */
public final class InMemoryBillingRecords implements BillingRecords {

    private final Clock clock;
    private final Map<String, SubscriptionRecord> subscriptions = new HashMap<>();
    private final Map<String, Instant> processed = new HashMap<>();

    public InMemoryBillingRecords(Clock clock) {
        this.clock = clock;
    }

    public InMemoryBillingRecords() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized Optional<SubscriptionRecord> subscription(String subscriptionId) {
        return Optional.ofNullable(subscriptions.get(subscriptionId));
    }

    @Override
    public synchronized void save(SubscriptionRecord record) {
        subscriptions.put(record.subscription(), record);
    }

    @Override
    public synchronized boolean processed(String eventId) {
        Instant forgetAt = processed.get(eventId);
        if (forgetAt != null && !forgetAt.isAfter(clock.instant())) {
            processed.remove(eventId);
            return false;
        }
        return forgetAt != null;
    }

    @Override
    public synchronized void markProcessed(String eventId, Instant forgetAt) {
        processed.put(eventId, forgetAt);
    }
}
