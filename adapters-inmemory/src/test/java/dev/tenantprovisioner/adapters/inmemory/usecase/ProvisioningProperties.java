package dev.tenantprovisioner.adapters.inmemory.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime.Container;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The rules that must hold for every sequence of commands and every interleaving: no two live tenants
 * share a port, each live tenant has one container and at most one email per generation, released
 * ports are handed out again, and an exhausted pool leaks nothing.
 */
class ProvisioningProperties {

    private static final int TENANTS = 8;
    private static final int POOL_SIZE = 5;

    @Property(tries = 300)
    void givenAnySequenceOfCommandsAndFailures_thenInvariantsHoldAfterEachStep(
            @ForAll("commandSequences") ActionChain<World> chain) {
        chain.withInvariant(ProvisioningProperties::invariants).run();
    }

    @Provide
    Arbitrary<ActionChain<World>> commandSequences() {
        return ActionChain.<World>startWith(() -> new World(PortPool.range(3000, 3000 + POOL_SIZE - 1)))
                .withAction(4, onATenant("provision", ProvisioningProperties::provision))
                .withAction(2, onATenant("deprovision", World::deprovision))
                .withAction(1, onATenant("revive", World::revive))
                .withAction(1, onATenant("describe", ProvisioningProperties::describe))
                .withAction(1, new CrashAContainer())
                .withAction(
                        1,
                        cue(
                                "mailer fails next send",
                                w -> w.mailer.failNextSend(new InfrastructureException("resend 503", true))))
                .withAction(
                        1,
                        cue(
                                "runtime fails next call",
                                w -> w.runtime.failNextCall(new InfrastructureException("ECS throttled", true))))
                .withAction(
                        1,
                        cue(
                                "runtime full",
                                w -> w.runtime.withCapacity(w.runtime.live().size())))
                .withAction(1, cue("runtime has room", w -> w.runtime.withCapacity(Integer.MAX_VALUE)))
                .withMaxTransformations(40);
    }

    @Property(tries = 30)
    void givenManyThreadsProvisioningDistinctAndRepeatedTenants_thenDistinctPortsAndOneContainerEach(
            @ForAll @IntRange(min = 2, max = 8) int threads,
            @ForAll @IntRange(min = 1, max = 40) int tenants,
            @ForAll @IntRange(min = 1, max = 3) int repeats,
            @ForAll long seed)
            throws Exception {
        World world = new World(PortPool.range(3000, 3999));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                List<Integer> order = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    for (int n = 0; n < tenants; n++) {
                        order.add(n);
                    }
                }
                Collections.shuffle(order, new Random(seed + t));
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int n : order) {
                        assertThat(world.provision(n))
                                .isInstanceOfAny(
                                        ProvisionOutcome.Provisioned.class, ProvisionOutcome.AlreadyProvisioned.class);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Lease> leases = world.registry.list(Integer.MAX_VALUE);
        assertThat(leases).hasSize(tenants);
        assertThat(leases.stream().map(Lease::requirePort).collect(Collectors.toSet()))
                .hasSize(tenants);
        assertThat(world.runtime.all()).hasSize(tenants);
        assertThat(world.runtime.all().stream().map(Container::tenant).collect(Collectors.toSet()))
                .hasSize(tenants);
        assertThat(world.mailer.accepted()).hasSize(tenants);
        assertThat(leases).allSatisfy(lease -> {
            assertThat(lease.state()).isEqualTo(TenantState.RUNNING);
            assertThat(lease.notification()).isEqualTo(NotificationState.SENT);
        });
    }

    @Property(tries = 50)
    void givenExhaustedPool_whenMoreTenantsAsk_thenNoCapacityAndNothingLeaks(
            @ForAll @IntRange(min = 1, max = 12) int poolSize, @ForAll @IntRange(min = 1, max = 12) int extra) {
        World world = new World(PortPool.range(3000, 3000 + poolSize - 1));
        for (int n = 0; n < poolSize; n++) {
            assertThat(world.provision(n)).isInstanceOf(ProvisionOutcome.Provisioned.class);
        }

        for (int n = poolSize; n < poolSize + extra; n++) {
            assertThat(world.provision(n)).isInstanceOf(ProvisionOutcome.NoCapacity.class);
            assertThat(world.registry.find(World.aTenant(n))).isEmpty();
        }

        assertThat(world.registry.list(Integer.MAX_VALUE)).hasSize(poolSize);
        assertThat(world.runtime.all()).hasSize(poolSize);
        assertThat(world.mailer.accepted()).hasSize(poolSize);
        world.deprovision(0);
        assertThat(world.provision(poolSize)).isInstanceOf(ProvisionOutcome.Provisioned.class);
    }

    private static void invariants(World world) {
        List<Lease> leases = world.registry.list(Integer.MAX_VALUE);
        Map<HostPort, TenantId> owners = new HashMap<>();
        for (Lease lease : leases) {
            lease.port().ifPresent(port -> {
                TenantId previous = owners.put(port, lease.tenant());
                assertThat(previous)
                        .as("port %s held by %s and %s", port, previous, lease.tenant())
                        .isNull();
                assertThat(world.registry.pool().contains(port)).isTrue();
            });
        }
        Map<TenantId, Lease> byTenant = leases.stream().collect(Collectors.toMap(Lease::tenant, Function.identity()));
        Set<TenantId> withLiveContainer = new HashSet<>();
        for (Container container : world.runtime.live()) {
            assertThat(withLiveContainer.add(container.tenant()))
                    .as("%s has a second live container", container.tenant())
                    .isTrue();
            Lease lease = byTenant.get(container.tenant());
            assertThat(lease)
                    .as("live container %s belongs to no tenant", container.task())
                    .isNotNull();
            assertThat(lease.state().holdsPort())
                    .as("live container of %s in %s", lease.tenant(), lease.state())
                    .isTrue();
            assertThat(lease.task())
                    .as("orphaned container of %s", lease.tenant())
                    .contains(container.task());
            assertThat(lease.port()).contains(container.port());
        }
        Set<dev.tenantprovisioner.domain.model.TaskId> tasks =
                world.runtime.all().stream().map(Container::task).collect(Collectors.toSet());
        for (Lease lease : leases) {
            if (lease.state() == TenantState.RUNNING || lease.state() == TenantState.CONTAINER_STARTED) {
                // A crash is only known once someone looks; the lease must still name a real task.
                assertThat(tasks)
                        .as("%s names a task the runtime never started", lease.tenant())
                        .contains(lease.task().orElseThrow());
            }
        }
        Map<String, Long> sendsPerKey = world.mailer.accepted().stream()
                .collect(Collectors.groupingBy(WelcomeEmail::idempotencyKey, Collectors.counting()));
        assertThat(sendsPerKey.values())
                .as("a welcome email was sent twice: %s", sendsPerKey)
                .allMatch(count -> count == 1);
        for (Lease lease : leases) {
            boolean sent = sendsPerKey.containsKey(lease.welcomeKey());
            if (lease.state().holdsPort()) {
                assertThat(sent)
                        .as("%s notification %s", lease.tenant(), lease.notification())
                        .isEqualTo(lease.notification() == NotificationState.SENT);
            }
        }
    }

    private static void describe(World world, int n) {
        world.describe.describe(World.aTenant(n)).ifPresent(status -> {
            if (status.lease().state() == TenantState.RUNNING) {
                assertThat(world.runtime.live())
                        .as(
                                "%s described as running without a live container",
                                status.lease().tenant())
                        .anySatisfy(c -> assertThat(c.task())
                                .isEqualTo(status.lease().task().orElseThrow()));
            }
        });
    }

    private static void provision(World world, int n) {
        int held = (int) world.registry.list(Integer.MAX_VALUE).stream()
                .filter(l -> l.state().holdsPort())
                .count();
        boolean hadPort = world.registry
                .find(World.aTenant(n))
                .map(l -> l.state().holdsPort())
                .orElse(false);
        ProvisionOutcome outcome = world.provision(n);
        if (outcome instanceof ProvisionOutcome.NoCapacity noCapacity
                && noCapacity.reason().contains("pool")) {
            assertThat(hadPort).isFalse();
            assertThat(held).as("pool reported exhausted with a port free").isEqualTo(POOL_SIZE);
        }
    }

    private static Action.Independent<World> onATenant(
            String name, java.util.function.BiConsumer<World, Integer> command) {
        return () -> Arbitraries.integers()
                .between(0, TENANTS - 1)
                .map(n -> Transformer.mutate(name + " tenant-" + n, world -> {
                    try {
                        command.accept(world, n);
                    } catch (InfrastructureException expected) {
                        // An injected failure: the state must still satisfy the invariants.
                    }
                }));
    }

    private static Action.Independent<World> cue(String name, java.util.function.Consumer<World> cue) {
        return () -> Arbitraries.just(Transformer.mutate(name, cue));
    }

    /** The container of a random live tenant dies on its own. */
    private static final class CrashAContainer implements Action.Dependent<World> {
        @Override
        public boolean precondition(World world) {
            return !world.runtime.live().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<World>> transformer(World world) {
            List<Container> live = world.runtime.live();
            return Arbitraries.of(live)
                    .map(c -> Transformer.mutate("crash " + c.tenant(), w -> w.runtime.crash(c.task())));
        }
    }
}
