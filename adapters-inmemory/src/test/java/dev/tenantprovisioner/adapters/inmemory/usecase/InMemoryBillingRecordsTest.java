package dev.tenantprovisioner.adapters.inmemory.usecase;

import dev.tenantprovisioner.adapters.inmemory.InMemoryBillingRecords;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.BillingRecordsContract;
import java.time.Duration;
import java.time.Instant;

class InMemoryBillingRecordsTest extends BillingRecordsContract {

    private final MutableClock clock = new MutableClock();
    private final InMemoryBillingRecords records = new InMemoryBillingRecords(clock);

    @Override
    protected BillingRecords records() {
        return records;
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Override
    protected void advanceClock(Duration by) {
        clock.advance(by);
    }
}
