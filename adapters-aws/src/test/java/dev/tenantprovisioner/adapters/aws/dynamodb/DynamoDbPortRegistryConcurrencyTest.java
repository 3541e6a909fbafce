package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantState;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Two JVMs with several threads each race for ports on the same table. */
@ExtendWith(MotoExtension.class)
class DynamoDbPortRegistryConcurrencyTest {

    private static final PortPool POOL = PortPool.range(3000, 3999);
    private static final int THREADS = 4;
    private static final int OWN = 10;
    private static final int SHARED = 8;

    private final MotoServer moto;
    private final DynamoDbClient client;

    DynamoDbPortRegistryConcurrencyTest(MotoServer moto) {
        this.moto = moto;
        this.client = moto.client();
    }

    @Test
    void givenTwoProcessesWithSeveralThreads_whenAllocatingReleasingAndReallocating_thenNoPortIsSharedOrLost()
            throws Exception {
        // given
        TableName table = TestTables.fresh(client, "race");
        File childOutput = File.createTempFile("allocation-worker-", ".out");
        Process child = new ProcessBuilder(
                        javaExecutable(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AllocationWorker.class.getName(),
                        moto.endpoint().toString(),
                        table.value(),
                        Integer.toString(POOL.first()),
                        Integer.toString(POOL.last()),
                        "b",
                        Integer.toString(THREADS),
                        Integer.toString(OWN),
                        Integer.toString(SHARED))
                .redirectErrorStream(true)
                .redirectOutput(childOutput)
                .start();

        // when
        List<String> events = new ArrayList<>(
                AllocationWorker.run(new DynamoDbPortRegistry(client, table, POOL), "a", THREADS, OWN, SHARED));
        boolean exited = child.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> childLines = Files.readAllLines(childOutput.toPath());
        assertThat(exited).as("second JVM finished").isTrue();
        assertThat(child.exitValue()).as("second JVM output: %s", childLines).isZero();
        assertThat(childLines).last().isEqualTo("DONE");
        childLines.stream()
                .filter(line -> line.startsWith("ALLOC ") || line.startsWith("RELEASED "))
                .forEach(events::add);

        // then
        Map<String, Set<Integer>> granted = new HashMap<>();
        Set<String> released = new HashSet<>();
        for (String event : events) {
            String[] parts = event.split(" ");
            if (parts[0].equals("ALLOC")) {
                granted.computeIfAbsent(parts[1], k -> new HashSet<>()).add(Integer.parseInt(parts[2]));
            } else if (parts[0].equals("RELEASED")) {
                released.add(parts[1]);
            }
        }
        int tenants = SHARED + 2 * THREADS * (OWN + OWN / 2);
        assertThat(granted).hasSize(tenants);
        assertThat(granted.values())
                .as("every tenant saw exactly one port")
                .allSatisfy(ports -> assertThat(ports).hasSize(1));
        assertThat(released).hasSize(2 * THREADS * OWN / 2);

        List<Lease> leases = new DynamoDbPortRegistry(client, table, POOL).list(10_000);
        assertThat(leases).hasSize(tenants);
        Map<String, Lease> byTenant =
                leases.stream().collect(Collectors.toMap(l -> l.tenant().value(), l -> l));
        for (Map.Entry<String, Set<Integer>> entry : granted.entrySet()) {
            Lease lease = byTenant.get(entry.getKey());
            if (released.contains(entry.getKey())) {
                assertThat(lease.state()).isEqualTo(TenantState.FAILED);
            } else {
                assertThat(lease.requirePort().value())
                        .as(entry.getKey())
                        .isEqualTo(entry.getValue().iterator().next());
            }
        }
        List<Integer> held = leases.stream()
                .filter(l -> l.port().isPresent())
                .map(l -> l.requirePort().value())
                .toList();
        assertThat(held).doesNotHaveDuplicates().hasSize(tenants - released.size());
        PortAudit.assertConsistent(client, table, POOL);
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }
}
