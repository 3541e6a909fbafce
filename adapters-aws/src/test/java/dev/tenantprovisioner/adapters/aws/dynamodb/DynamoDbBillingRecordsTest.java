package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.BillingRecordsContract;
import dev.tenantprovisioner.domain.spi.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The BillingRecords contract on moto's DynamoDB, a fresh table per test. */
class DynamoDbBillingRecordsTest extends BillingRecordsContract {

    private static MotoServer moto;
    private static DynamoDbClient client;
    private final ManualClock clock = new ManualClock();
    private BillingRecords records;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        client = moto.client();
    }

    @AfterAll
    static void stopMoto() {
        client.close();
        moto.close();
    }

    @BeforeEach
    void freshTable() {
        records = new DynamoDbBillingRecords(client, TestTables.fresh(client, "billing"), clock);
    }

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
