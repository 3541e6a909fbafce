package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link BillingRecords} contract. Adapters extend it, return a fresh, empty store, and say what time it is for
 * the store (so a test can let remembered events expire).
 */
public abstract class BillingRecordsContract {

    protected abstract BillingRecords records();

    /** What time it is for the store. */
    protected abstract Instant now();

    /** Moves the store's clock on. */
    protected abstract void advanceClock(Duration by);

    @Test
    void givenNothing_whenASubscriptionIsLookedUp_thenNothingIsKnown() {
        assertThat(records().subscription("sub_unknown")).isEmpty();
        assertThat(records().processed("evt_unknown")).isFalse();
    }

    @Test
    void givenACheckoutsSubscription_whenSavedThenCancelled_thenTheLastRecordIsRead() {
        SubscriptionRecord paying = SubscriptionRecord.paying("sub_1", TenantId.of("acme"));
        records().save(paying);
        assertThat(records().subscription("sub_1")).contains(paying);

        SubscriptionRecord cancelled = paying.cancelled(Instant.parse("2026-12-01T10:00:00Z"));
        records().save(cancelled);

        assertThat(records().subscription("sub_1")).contains(cancelled);
        assertThat(records().subscription("sub_2")).isEmpty();
    }

    @Test
    void givenACancellationBeforeItsCheckout_whenSaved_thenItIsKnownWithoutATenant() {
        SubscriptionRecord early = new SubscriptionRecord(
                "sub_early", Optional.empty(), Optional.of(Instant.parse("2026-12-01T10:00:00Z")));

        records().save(early);

        assertThat(records().subscription("sub_early")).contains(early);
    }

    @Test
    void givenAnAppliedEvent_whenAskedBeforeAndAfterItIsForgotten_thenProcessedOnlyUntilThen() {
        records().markProcessed("evt_1", now().plus(Duration.ofDays(30)));

        assertThat(records().processed("evt_1")).isTrue();
        assertThat(records().processed("evt_2")).isFalse();
        advanceClock(Duration.ofDays(31));
        assertThat(records().processed("evt_1")).isFalse();
    }
}
