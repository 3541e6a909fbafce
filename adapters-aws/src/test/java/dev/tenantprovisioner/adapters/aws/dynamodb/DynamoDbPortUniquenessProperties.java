package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two tenants never share a port on the real DynamoDB protocol: several threads, each with its own registry (as
 * Lambdas side by side), interleave allocations, releases (some holding the port back), retirements and freeing of
 * held ports over a small pool; afterwards every port is owned, held, free or unused exactly once, and no port is
 * named by two leases. The in-memory registry's single lock makes this trivial; here every step is a conditional
 * write that can lose.
 */
class DynamoDbPortUniquenessProperties {

    private static final PortPool POOL = PortPool.range(3000, 3005);
    private static final int TENANTS = 9;
    private static MotoServer moto;
    private static DynamoDbClient client;

    @BeforeContainer
    static void startMoto() {
        moto = MotoServer.start();
        client = moto.client();
    }

    @AfterContainer
    static void stopMoto() {
        client.close();
        moto.close();
    }

    enum Kind {
        ALLOCATE,
        START,
        RELEASE,
        RELEASE_HOLDING,
        RETIRE,
        FREE_HELD
    }

    record Step(Kind kind, int tenant) {}

    @Property(tries = 30)
    void givenThreadsInterleavingEveryRegistryWrite_thenNoPortIsEverSharedOrLost(
            @ForAll("threadScripts") List<List<Step>> scripts) throws Exception {
        TableName table = TestTables.fresh(client, "uniqueness");
        ExecutorService threads = Executors.newFixedThreadPool(scripts.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Step> script : scripts) {
                PortRegistry registry = new DynamoDbPortRegistry(client, table, POOL);
                done.add(threads.submit(() -> {
                    go.await();
                    script.forEach(step -> apply(registry, step));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        PortRegistry registry = new DynamoDbPortRegistry(client, table, POOL);
        Map<HostPort, TenantId> owners = new HashMap<>();
        for (Lease lease : registry.list(100)) {
            lease.port()
                    .ifPresent(port -> assertThat(owners.put(port, lease.tenant()))
                            .as("port %s named by two leases", port)
                            .isNull());
        }
        registry.heldPorts(100)
                .forEach(held -> assertThat(owners)
                        .as("held port %s is owned", held.port())
                        .doesNotContainKey(held.port()));
        PortAudit.assertConsistent(client, table, POOL);
    }

    private static void apply(PortRegistry registry, Step step) {
        TenantId tenant = TenantId.of("tenant-" + step.tenant());
        try {
            switch (step.kind()) {
                case ALLOCATE -> registry.allocate(tenant, Email.of("t" + step.tenant() + "@example.com"), true);
                case START ->
                    registry.find(tenant)
                            .filter(lease -> lease.state() == TenantState.PORT_ALLOCATED)
                            .ifPresent(lease ->
                                    registry.save(lease.started(TaskId.of("task-" + step.tenant()), Instant.EPOCH)));
                case RELEASE, RELEASE_HOLDING ->
                    registry.find(tenant)
                            .filter(lease -> lease.state().holdsPort())
                            .ifPresent(lease -> registry.release(lease, "test", step.kind() == Kind.RELEASE_HOLDING));
                case RETIRE -> registry.retire(tenant);
                case FREE_HELD ->
                    registry.heldPorts(10).forEach(held -> registry.freeHeldPort(held.port(), held.task()));
            }
        } catch (LeaseConflictException lostTheRace) {
            // Another thread changed the lease first: a caller would re-read and decide again.
        }
    }

    @Provide
    Arbitrary<List<List<Step>>> threadScripts() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.frequency(
                                net.jqwik.api.Tuple.of(5, Kind.ALLOCATE),
                                net.jqwik.api.Tuple.of(2, Kind.START),
                                net.jqwik.api.Tuple.of(2, Kind.RELEASE),
                                net.jqwik.api.Tuple.of(2, Kind.RELEASE_HOLDING),
                                net.jqwik.api.Tuple.of(2, Kind.RETIRE),
                                net.jqwik.api.Tuple.of(1, Kind.FREE_HELD)),
                        Arbitraries.integers().between(1, TENANTS))
                .as(Step::new);
        return step.list().ofMinSize(4).ofMaxSize(12).list().ofMinSize(2).ofMaxSize(3);
    }
}
