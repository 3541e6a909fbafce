package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * MAX_ACTIVE_TENANTS and MAX_CONCURRENT_PROVISIONS hold across processes: two JVMs with several threads each grant
 * more tenants than the limit allows, and take more provision slots than there are, on one table on moto. moto runs
 * one request at a time (see {@link MotoServer}), so this proves the conditions the adapter writes, not moto's
 * isolation.
 */
@ExtendWith(MotoExtension.class)
class DynamoDbLimitsTwoProcessTest {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 8;
    private static final int MAX_ACTIVE = 29;
    private static final int MAX_SLOTS = 5;

    private final MotoServer moto;
    private final DynamoDbClient client;

    DynamoDbLimitsTwoProcessTest(MotoServer moto) {
        this.moto = moto;
        this.client = moto.client();
    }

    @Test
    void givenTwoProcessesGrantingAndTakingSlotsAtOnce_thenNeverMoreThanTheLimitsAndTheCountIsExact() throws Exception {
        TableName table = TestTables.fresh(client, "limits");
        long startAt = System.currentTimeMillis() + 4000;
        File childOutput = File.createTempFile("limit-worker-", ".out");
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LimitWorker.class.getName(),
                        moto.endpoint().toString(),
                        table.value(),
                        "b",
                        Integer.toString(THREADS),
                        Integer.toString(PER_THREAD),
                        Integer.toString(MAX_ACTIVE),
                        Integer.toString(MAX_SLOTS),
                        Long.toString(startAt))
                .redirectErrorStream(true)
                .redirectOutput(childOutput)
                .start();

        List<String> events = new ArrayList<>(LimitWorker.run(
                new DynamoDbPortRegistry(client, table, LimitWorker.POOL),
                "a",
                THREADS,
                PER_THREAD,
                MAX_ACTIVE,
                MAX_SLOTS,
                startAt));
        boolean exited = child.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> childLines = Files.readAllLines(childOutput.toPath());
        assertThat(exited).as("second JVM finished").isTrue();
        assertThat(child.exitValue()).as("second JVM output: %s", childLines).isZero();
        assertThat(childLines).last().isEqualTo("DONE");
        events.addAll(childLines.subList(0, childLines.size() - 1));

        int asked = 2 * THREADS * PER_THREAD;
        assertThat(events.stream().filter(event -> event.startsWith("GRANTED ")))
                .hasSize(MAX_ACTIVE);
        assertThat(events.stream().filter(event -> event.startsWith("REFUSED ")))
                .hasSize(asked - MAX_ACTIVE);
        assertThat(events.stream().filter(event -> event.startsWith("GRANTED ")).map(e -> e.split(" ")[1]))
                .as("granted by both processes")
                .anyMatch(tenant -> tenant.startsWith("limit-a-"))
                .anyMatch(tenant -> tenant.startsWith("limit-b-"));
        assertThat(events.stream().filter(event -> event.startsWith("SLOT ")).map(e -> e.split(" ")[2]))
                .as("every slot taken once, by one of the processes")
                .hasSize(MAX_SLOTS)
                .doesNotHaveDuplicates();
        assertThat(events.stream().filter(event -> event.startsWith("NO_SLOT ")))
                .hasSize(asked - MAX_SLOTS);
        DynamoDbPortRegistry registry = new DynamoDbPortRegistry(client, table, LimitWorker.POOL);
        assertThat(registry.activeTenants()).isEqualTo(MAX_ACTIVE);
        assertThat(registry.list(1000)).hasSize(MAX_ACTIVE);
        PortAudit.assertConsistent(client, table, LimitWorker.POOL);
    }

    @Test
    void givenATableWrittenBeforeTheCount_whenAPortMoves_thenTheCountIsSeededFromThePortsInUse() {
        TableName table = TestTables.fresh(client, "seed");
        DynamoDbPortRegistry registry = new DynamoDbPortRegistry(client, table, LimitWorker.POOL);
        registry.allocate(
                dev.tenantprovisioner.domain.model.TenantId.of("a"),
                dev.tenantprovisioner.domain.model.Email.of("a@example.com"),
                false);
        registry.allocate(
                dev.tenantprovisioner.domain.model.TenantId.of("b"),
                dev.tenantprovisioner.domain.model.Email.of("b@example.com"),
                false);
        // As an older version left it: ports owned, and no count.
        client.deleteItem(r -> r.tableName(table.value()).key(Keys.counter()));

        var third = registry.grant(
                dev.tenantprovisioner.domain.model.TenantId.of("c"),
                dev.tenantprovisioner.domain.model.Email.of("c@example.com"),
                false,
                3);
        var fourth = registry.grant(
                dev.tenantprovisioner.domain.model.TenantId.of("d"),
                dev.tenantprovisioner.domain.model.Email.of("d@example.com"),
                false,
                3);

        assertThat(third).isInstanceOf(dev.tenantprovisioner.domain.spi.Grant.Granted.class);
        assertThat(fourth).isEqualTo(new dev.tenantprovisioner.domain.spi.Grant.AtLimit(3));
        assertThat(registry.activeTenants()).isEqualTo(3);
        client.deleteItem(r -> r.tableName(table.value()).key(Keys.counter()));
        registry.retire(dev.tenantprovisioner.domain.model.TenantId.of("a"));
        assertThat(registry.activeTenants()).as("a release seeds it too").isEqualTo(2);
        PortAudit.assertConsistent(client, table, LimitWorker.POOL);
    }
}
