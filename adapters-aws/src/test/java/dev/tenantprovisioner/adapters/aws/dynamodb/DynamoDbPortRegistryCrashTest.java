package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A registry dies at every point between two requests of a realistic sequence of calls; a second
 * registry then retries the interrupted call and carries on. The end state must be exactly the one of a
 * run without a crash, and every port of the pool must be accounted for: none given twice, none lost.
 */
@ExtendWith(MotoExtension.class)
class DynamoDbPortRegistryCrashTest {

    private static final PortPool POOL = PortPool.range(3000, 3009);

    private final MotoServer moto;
    private final DynamoDbClient survivor;

    DynamoDbPortRegistryCrashTest(MotoServer moto) {
        this.moto = moto;
        this.survivor = moto.client();
    }

    /** Each step is what a caller would retry after a crash: repeating it must be safe. */
    private static List<Consumer<PortRegistry>> script() {
        return List.of(
                r -> allocate(r, 1),
                r -> allocate(r, 2),
                r -> allocate(r, 3),
                r -> failIfStillFirstGeneration(r, 2),
                r -> allocate(r, 4),
                r -> r.retire(tenant(1)),
                r -> allocate(r, 2),
                r -> startContainer(r, 3),
                r -> startContainer(r, 4),
                r -> r.retire(tenant(4)),
                r -> r.freeHeldPort(HostPort.of(3001), Optional.of(TaskId.of("task-4"))),
                r -> startContainer(r, 2),
                r -> r.retire(tenant(2)),
                r -> r.retire(tenant(9)),
                r -> allocate(r, 5),
                r -> r.allocate(tenant(9), email(9), true));
    }

    @TestFactory
    Stream<DynamicTest>
            givenRegistryDyingBetweenAnyTwoRequests_whenAnotherRegistryResumes_thenEndStateIsAsWithoutCrash() {
        Map<String, String> expected = runWithoutCrash();
        int requests = requestsOfScript();
        assertThat(requests).as("the script sends requests").isGreaterThan(10);
        List<DynamicTest> cases = new ArrayList<>();
        for (CrashInjector.When when : CrashInjector.When.values()) {
            for (int n = 1; n <= requests; n++) {
                int request = n;
                cases.add(DynamicTest.dynamicTest(
                        "dies " + when + " request " + n,
                        () -> assertResumesFromCrash(new CrashInjector(when, request), expected)));
            }
        }
        return cases.stream();
    }

    private void assertResumesFromCrash(CrashInjector crash, Map<String, String> expected) {
        // given
        TableName table = TestTables.fresh(survivor, "crash");
        List<Consumer<PortRegistry>> steps = script();
        int resumeAt = steps.size();
        try (DynamoDbClient dying = moto.client(crash)) {
            PortRegistry doomed = new DynamoDbPortRegistry(dying, table, POOL);
            for (int i = 0; i < steps.size(); i++) {
                try {
                    steps.get(i).accept(doomed);
                } catch (RuntimeException e) {
                    assertThat(causes(e))
                            .as("only the injected crash stops the registry: %s", e)
                            .anyMatch(CrashInjector.Crash.class::isInstance);
                    resumeAt = i;
                    break;
                }
            }
        }
        assertThat(crash.fired()).as("the crash happened").isTrue();

        // when
        PortRegistry heir = new DynamoDbPortRegistry(survivor, table, POOL);
        steps.subList(resumeAt, steps.size()).forEach(step -> step.accept(heir));

        // then
        assertThat(snapshot(heir)).isEqualTo(expected);
        PortAudit.assertConsistent(survivor, table, POOL);
    }

    private Map<String, String> runWithoutCrash() {
        PortRegistry registry = new DynamoDbPortRegistry(survivor, TestTables.fresh(survivor, "crash-ref"), POOL);
        script().forEach(step -> step.accept(registry));
        Map<String, String> state = snapshot(registry);
        assertThat(state)
                .containsEntry("tenant-4", "DEPROVISIONED port=Optional.empty g1 task=Optional[task-4]")
                .containsEntry("tenant-5", "PORT_ALLOCATED port=Optional[3001] g1 task=Optional.empty")
                .containsEntry("tenant-1", "DEPROVISIONED port=Optional.empty g1 task=Optional.empty");
        assertThat(registry.heldPorts(10))
                .extracting(held -> held.port().value() + " " + held.task())
                .containsExactly("3000 Optional[task-2]");
        return state;
    }

    private int requestsOfScript() {
        CrashInjector never = new CrashInjector(CrashInjector.When.BEFORE_SENDING, Integer.MAX_VALUE);
        try (DynamoDbClient counted = moto.client(never)) {
            TableName table = TestTables.fresh(survivor, "crash-count");
            PortRegistry registry = new DynamoDbPortRegistry(counted, table, POOL);
            RequestCounter counter = new RequestCounter();
            try (DynamoDbClient counting = moto.client(counter)) {
                PortRegistry countingRegistry = new DynamoDbPortRegistry(counting, table, POOL);
                script().forEach(step -> step.accept(countingRegistry));
            }
            assertThat(registry.pool()).isEqualTo(POOL);
            return (int) counter.total();
        }
    }

    private static Map<String, String> snapshot(PortRegistry registry) {
        Map<String, String> state = new TreeMap<>();
        for (Lease lease : registry.list(100)) {
            state.put(
                    lease.tenant().value(),
                    lease.state() + " port=" + lease.port() + " g" + lease.generation() + " task=" + lease.task());
        }
        registry.heldPorts(100).forEach(held -> state.put("held " + held.port(), held.tenant() + " " + held.task()));
        return state;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void allocate(PortRegistry registry, int n) {
        registry.allocate(tenant(n), email(n), false).orElseThrow();
    }

    private static void failIfStillFirstGeneration(PortRegistry registry, int n) {
        Lease lease = registry.find(tenant(n)).orElseThrow();
        if (lease.generation() == 1 && lease.state().holdsPort()) {
            registry.release(lease, "no capacity: RESOURCE:MEMORY", false);
        }
    }

    private static void startContainer(PortRegistry registry, int n) {
        Lease lease = registry.find(tenant(n)).orElseThrow();
        if (lease.state() == TenantState.PORT_ALLOCATED) {
            registry.save(lease.started(TaskId.of("task-" + n), java.time.Instant.EPOCH));
        }
    }

    private static TenantId tenant(int n) {
        return TenantId.of("tenant-" + n);
    }

    private static Email email(int n) {
        return Email.of("owner" + n + "@example.com");
    }
}
