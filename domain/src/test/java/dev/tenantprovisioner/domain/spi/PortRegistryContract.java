package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@link PortRegistry} contract. Every adapter runs it by extending this class and returning a
 * fresh, empty registry over the given pool.
 */
public abstract class PortRegistryContract {

    /** A fresh, empty registry over {@code pool}, reading the time from {@code clock}. */
    protected abstract PortRegistry newRegistry(PortPool pool, java.time.Clock clock);

    protected PortRegistry newRegistry(PortPool pool) {
        return newRegistry(pool, java.time.Clock.systemUTC());
    }

    protected static TenantId aTenant(int n) {
        return TenantId.of("tenant-" + n);
    }

    protected static Email anEmail(int n) {
        return Email.of("owner" + n + "@example.com");
    }

    private Lease allocate(PortRegistry registry, int n) {
        return registry.allocate(aTenant(n), anEmail(n), false).orElseThrow();
    }

    @Test
    void givenNewTenant_whenAllocating_thenLowestPortIsGrantedInFirstGeneration() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));

        Lease lease = allocate(registry, 1);

        assertThat(lease.state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(lease.port()).contains(HostPort.of(3000));
        assertThat(lease.generation()).isEqualTo(1);
        assertThat(lease.email()).contains(anEmail(1));
        assertThat(registry.find(aTenant(1))).contains(lease);
    }

    @Test
    void givenLeasedTenant_whenAllocatingAgain_thenSameLeaseComesBackUnchanged() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease first = allocate(registry, 1);

        Lease again = allocate(registry, 1);

        assertThat(again).isEqualTo(first);
        assertThat(allocate(registry, 2).port()).contains(HostPort.of(3001));
    }

    @Test
    void givenFullPool_whenAllocating_thenEmptyAndNothingChanges() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3001));
        allocate(registry, 1);
        allocate(registry, 2);

        assertThat(registry.allocate(aTenant(3), anEmail(3), false)).isEmpty();

        assertThat(registry.find(aTenant(3))).isEmpty();
        assertThat(registry.list(10)).hasSize(2);
    }

    @Test
    void givenReservedPortsInRange_whenAllocating_thenTheyAreSkipped() {
        PortRegistry registry = newRegistry(new PortPool(2374, 2377, PortPool.ECS_RESERVED));

        assertThat(allocate(registry, 1).port()).contains(HostPort.of(2374));
        assertThat(allocate(registry, 2).port()).contains(HostPort.of(2377));
        assertThat(registry.allocate(aTenant(3), anEmail(3), false)).isEmpty();
    }

    @Test
    void givenReleasedPort_whenNextTenantAllocates_thenLowestReleasedPortIsReused() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        allocate(registry, 1);
        Lease second = allocate(registry, 2);
        allocate(registry, 3);

        Lease failed = registry.release(second, "no capacity: RESOURCE:MEMORY", false);

        assertThat(failed.state()).isEqualTo(TenantState.FAILED);
        assertThat(failed.port()).isEmpty();
        assertThat(failed.failure()).contains("no capacity: RESOURCE:MEMORY");
        assertThat(allocate(registry, 4).port()).contains(HostPort.of(3001));
        assertThat(allocate(registry, 5).port()).contains(HostPort.of(3003));
    }

    @Test
    void givenFailedTenant_whenAllocatingAgain_thenNewGenerationGetsAPort() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease failed = registry.release(allocate(registry, 1), "no capacity", false);

        Lease again = allocate(registry, 1);

        assertThat(again.state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(again.generation()).isEqualTo(failed.generation() + 1);
        assertThat(again.port()).contains(HostPort.of(3000));
    }

    @Test
    void givenLeasedTenant_whenRetired_thenTombstoneRemainsAndPortIsFree() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);

        assertThat(registry.retire(aTenant(1))).contains(lease);

        Lease tombstone = registry.find(aTenant(1)).orElseThrow();
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.port()).isEmpty();
        assertThat(allocate(registry, 2).port()).contains(HostPort.of(3000));
    }

    @Test
    void givenTenantWithATask_whenRetired_thenItsPortIsHeldBackUntilFreedForThatTask() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        TaskId task = TaskId.of("task-1");
        registry.save(allocate(registry, 1).started(task, java.time.Instant.now()));

        registry.retire(aTenant(1));

        assertThat(registry.heldPorts(10)).singleElement().satisfies(held -> {
            assertThat(held.port()).isEqualTo(HostPort.of(3000));
            assertThat(held.tenant()).isEqualTo(aTenant(1));
            assertThat(held.task()).contains(task);
        });
        assertThat(allocate(registry, 2).port()).as("a held port is not free").contains(HostPort.of(3001));
        assertThat(registry.freeHeldPort(HostPort.of(3000), java.util.Optional.of(TaskId.of("task-other"))))
                .isFalse();
        assertThat(registry.freeHeldPort(HostPort.of(3000), java.util.Optional.empty()))
                .isFalse();
        assertThat(allocate(registry, 3).port()).contains(HostPort.of(3002));

        assertThat(registry.freeHeldPort(HostPort.of(3000), java.util.Optional.of(task)))
                .isTrue();

        assertThat(registry.heldPorts(10)).isEmpty();
        assertThat(allocate(registry, 4).port()).contains(HostPort.of(3000));
        assertThat(registry.freeHeldPort(HostPort.of(3000), java.util.Optional.of(task)))
                .as("a port a lease owns again is not freed by a late repeat")
                .isFalse();
        assertThat(registry.find(aTenant(4)).orElseThrow().port()).contains(HostPort.of(3000));
        assertThat(allocate(registry, 5).port()).contains(HostPort.of(3003));
    }

    @Test
    void givenTenantWhoseTaskWasReportedStopped_whenRetired_thenItsPortIsFreeAtOnce() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease started = registry.save(allocate(registry, 1).started(TaskId.of("task-1"), java.time.Instant.now()));
        registry.save(started.withState(TenantState.STOPPED));

        registry.retire(aTenant(1));

        assertThat(registry.heldPorts(10)).isEmpty();
        assertThat(allocate(registry, 2).port()).contains(HostPort.of(3000));
    }

    @Test
    void givenReleaseThatHoldsThePort_whenOthersAllocate_thenItIsSkippedUntilFreed() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);

        Lease failed = registry.release(lease, "port 3000 is in use: RESOURCE:PORTS", true);

        assertThat(failed.state()).isEqualTo(TenantState.FAILED);
        assertThat(registry.heldPorts(10)).singleElement().satisfies(held -> {
            assertThat(held.port()).isEqualTo(HostPort.of(3000));
            assertThat(held.task()).isEmpty();
        });
        assertThat(allocate(registry, 1).port())
                .as("the same tenant moves on too")
                .contains(HostPort.of(3001));
        assertThat(registry.freeHeldPort(HostPort.of(3000), java.util.Optional.empty()))
                .isTrue();
        assertThat(allocate(registry, 2).port()).contains(HostPort.of(3000));
    }

    @Test
    void givenSeveralHeldPorts_whenListed_thenLowestFirstUpToTheLimit() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        for (int n = 1; n <= 4; n++) {
            allocate(registry, n);
        }
        for (int n : new int[] {3, 1, 4}) {
            registry.release(registry.find(aTenant(n)).orElseThrow(), "port in use", true);
        }

        assertThat(registry.heldPorts(2))
                .extracting(HeldPort::port)
                .containsExactly(HostPort.of(3000), HostPort.of(3002));
        assertThat(registry.heldPorts(10)).hasSize(3);
    }

    @Test
    void givenRetiredTenant_whenRetiredAgain_thenNothingChanges() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        allocate(registry, 1);
        registry.retire(aTenant(1));
        Lease tombstone = registry.find(aTenant(1)).orElseThrow();

        assertThat(registry.retire(aTenant(1))).contains(tombstone);

        assertThat(registry.find(aTenant(1))).contains(tombstone);
    }

    @Test
    void givenUnknownTenant_whenRetired_thenTombstoneBlocksAllocationUnlessRevived() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));

        assertThat(registry.retire(aTenant(1))).isEmpty();

        Lease tombstone = registry.allocate(aTenant(1), anEmail(1), false).orElseThrow();
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.email()).isEmpty();
        Lease revived = registry.allocate(aTenant(1), anEmail(1), true).orElseThrow();
        assertThat(revived.state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(revived.generation()).isEqualTo(tombstone.generation() + 1);
        assertThat(revived.email()).contains(anEmail(1));
    }

    @Test
    void givenCurrentVersion_whenSaving_thenStoredWithNextVersion() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);

        Lease saved = registry.save(lease.withTask(TaskId.of("task-1")).withState(TenantState.CONTAINER_STARTED));

        assertThat(saved.version()).isEqualTo(lease.version() + 1);
        assertThat(saved.task()).contains(TaskId.of("task-1"));
        assertThat(saved.state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(registry.find(aTenant(1))).contains(saved);
    }

    @Test
    void givenStaleVersion_whenSaving_thenConflictAndStoredLeaseUnchanged() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);
        Lease saved = registry.save(lease.withTask(TaskId.of("task-1")).withState(TenantState.CONTAINER_STARTED));

        assertThatThrownBy(() ->
                        registry.save(lease.withTask(TaskId.of("task-2")).withState(TenantState.CONTAINER_STARTED)))
                .isInstanceOf(LeaseConflictException.class);

        assertThat(registry.find(aTenant(1))).contains(saved);
    }

    @Test
    void givenStaleVersion_whenReleasing_thenConflictAndPortStaysHeld() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3000));
        Lease lease = allocate(registry, 1);
        registry.save(lease.withState(TenantState.CONTAINER_STARTED).withTask(TaskId.of("task-1")));

        assertThatThrownBy(() -> registry.release(lease, "no capacity", false))
                .isInstanceOf(LeaseConflictException.class);

        assertThat(registry.find(aTenant(1)).orElseThrow().port()).contains(HostPort.of(3000));
        assertThat(registry.allocate(aTenant(2), anEmail(2), false)).isEmpty();
    }

    @Test
    void givenTenantRevivedOnTheSamePort_whenAStaleCopyOfTheOldGenerationIsReleased_thenConflictAndTheNewOneIsKept() {
        // A caller read generation 1; meanwhile the tenant was retired and revived onto the same port. Its copy must
        // never match the new lease (by version or otherwise), or it would free the port under the new container.
        PortRegistry registry = newRegistry(PortPool.range(3000, 3000));
        Lease stale = allocate(registry, 1);
        registry.retire(aTenant(1));
        Lease revived = registry.allocate(aTenant(1), anEmail(1), true).orElseThrow();

        assertThatThrownBy(() -> registry.release(stale, "no capacity", false))
                .isInstanceOf(LeaseConflictException.class);
        assertThatThrownBy(() -> registry.save(stale.started(TaskId.of("task-1"), java.time.Instant.EPOCH)))
                .isInstanceOf(LeaseConflictException.class);

        assertThat(revived.generation()).isEqualTo(2);
        assertThat(revived.version()).as("versions go on across generations").isGreaterThan(stale.version());
        Lease started = registry.save(revived.started(TaskId.of("task-2"), java.time.Instant.EPOCH));
        assertThat(registry.find(aTenant(1))).contains(started);
        assertThat(registry.allocate(aTenant(2), anEmail(2), false)).isEmpty();
    }

    @Test
    void givenDatabaseCheckpoint_whenSaved_thenItIsReadBackAndANewGenerationStartsWithoutIt() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);

        Lease saved = registry.save(lease.withDatabaseReady());

        assertThat(registry.find(aTenant(1))).contains(saved);
        assertThat(saved.databaseReady()).isTrue();
        registry.retire(aTenant(1));
        assertThat(registry.allocate(aTenant(1), anEmail(1), true).orElseThrow().databaseReady())
                .isFalse();
    }

    @Test
    void givenATenantAsleep_whenSaved_thenItIsReadBackAsleepAndARestartOrARetirementWakesNothingStale() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease running = registry.save(allocate(registry, 1).started(TaskId.of("task-1"), java.time.Instant.EPOCH));

        Lease asleep = registry.save(running.asleep("no traffic for 30 min"));

        assertThat(registry.find(aTenant(1))).contains(asleep);
        assertThat(asleep.sleeping()).isTrue();
        Lease restarting = registry.save(asleep.restarted());
        assertThat(restarting.sleeping()).isFalse();
        assertThat(registry.find(aTenant(1)).orElseThrow().sleeping()).isFalse();
        registry.save(restarting.asleep("again"));
        registry.retire(aTenant(1));
        assertThat(registry.find(aTenant(1)).orElseThrow().sleeping()).isFalse();
    }

    @Test
    void givenBillingAndASuspension_whenSaved_thenBothAreReadBackAndTheTombstoneKeepsTheBilling() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);
        dev.tenantprovisioner.domain.model.Billing billing = new dev.tenantprovisioner.domain.model.Billing(
                java.util.Optional.of("cus_1"),
                java.util.Optional.of("sub_1"),
                java.time.Instant.parse("2026-11-29T10:00:00Z"));

        Lease billed = registry.save(lease.withBilling(billing));
        Lease suspended = registry.save(billed.suspended("invoice payment failed"));

        assertThat(registry.find(aTenant(1))).contains(suspended);
        assertThat(suspended.state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(suspended.port()).isEqualTo(lease.port());
        registry.retire(aTenant(1));
        assertThat(registry.find(aTenant(1)).orElseThrow().billing()).contains(billing);
    }

    @Test
    void givenLease_whenSavingAReleasedState_thenRefused() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease lease = allocate(registry, 1);

        assertThatThrownBy(() -> registry.save(lease.released(TenantState.DEPROVISIONED, java.util.Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenManyThreads_whenAllocatingDistinctAndRepeatedTenants_thenPortsAreUniqueAndEachTenantHasOne()
            throws Exception {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3999));
        int threads = 8;
        int tenants = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        Map<TenantId, Set<HostPort>> seen = new ConcurrentHashMap<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < tenants; i++) {
                        int n = (i + offset) % tenants;
                        Lease lease = allocate(registry, n);
                        seen.computeIfAbsent(lease.tenant(), k -> ConcurrentHashMap.newKeySet())
                                .add(lease.requirePort());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(seen).hasSize(tenants);
        assertThat(seen.values()).allSatisfy(ports -> assertThat(ports).hasSize(1));
        Set<HostPort> distinct = seen.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(distinct).hasSize(tenants);
        Set<HostPort> stored = new HashSet<>();
        for (Lease lease : registry.list(1000)) {
            assertThat(stored.add(lease.requirePort()))
                    .as("port %s stored twice", lease.port())
                    .isTrue();
        }
        assertThat(stored).isEqualTo(distinct);
    }

    @Test
    void givenGrants_thenOnlyTheCallThatMadeTheLeaseIsToldItGrantedIt() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));

        Allocation first = registry.grant(aTenant(1), anEmail(1), false).orElseThrow();
        Allocation repeat = registry.grant(aTenant(1), anEmail(1), false).orElseThrow();
        registry.release(first.lease(), "test: its start failed", false);
        Allocation next = registry.grant(aTenant(1), anEmail(1), false).orElseThrow();

        assertThat(first.granted()).isTrue();
        assertThat(repeat.granted()).isFalse();
        assertThat(repeat.lease()).isEqualTo(first.lease());
        assertThat(next.granted()).as("a new generation after a failure").isTrue();
        assertThat(next.lease().generation()).isEqualTo(2);
    }

    @Test
    void givenManyThreadsGrantingOneTenantAtOnce_thenExactlyOneIsToldItGrantedTheLeaseAndAllGetIt() throws Exception {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3099));
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            int n = 100 + round;
            TenantId tenant = aTenant(n);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
            try {
                List<Future<Allocation>> answers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    answers.add(pool.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return registry.grant(tenant, anEmail(n), false).orElseThrow();
                    }));
                }
                List<Allocation> allocations = new ArrayList<>();
                for (Future<Allocation> answer : answers) {
                    allocations.add(answer.get(120, TimeUnit.SECONDS));
                }

                assertThat(allocations.stream().filter(Allocation::granted)).hasSize(1);
                assertThat(allocations.stream().map(a -> a.lease().port()).distinct())
                        .hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void givenStepsOfAProvision_whenStored_thenTheTimelineIsReadBackWithTimesAndReasons() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease granted = allocate(registry, 1);
        Lease started = registry.save(
                granted.started(dev.tenantprovisioner.domain.model.TaskId.of("task-1"), granted.updatedAt()));
        registry.save(started.withState(TenantState.STOPPED).withFailure("container stopped: exit 1"));

        Lease read = registry.find(aTenant(1)).orElseThrow();

        assertThat(read.timeline())
                .extracting(dev.tenantprovisioner.domain.model.Step::name)
                .containsExactly("allocated", "started", "stopped");
        assertThat(read.timeline().get(2).detail()).contains("container stopped: exit 1");
        assertThat(read.timeline().get(2).at()).isEqualTo(read.updatedAt());
        assertThat(read.timeline().get(0).detail()).contains("port 3000");
    }

    @Test
    void givenManyLeases_whenPaged_thenEveryLeaseOnceNewestFirstAcrossPagesAndAStateFilterHolds() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3099));
        for (int n = 1; n <= 7; n++) {
            allocate(registry, n);
        }
        registry.retire(aTenant(3));
        registry.retire(aTenant(6));

        List<Lease> walked = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            LeasePage page = registry.page(new LeaseQuery(3, cursor, Optional.empty()));
            assertThat(page.leases()).hasSizeLessThanOrEqualTo(3);
            walked.addAll(page.leases());
            cursor = page.next();
            pages++;
        } while (cursor.isPresent());
        LeasePage retired = registry.page(new LeaseQuery(10, Optional.empty(), Optional.of(TenantState.DEPROVISIONED)));

        assertThat(pages).isEqualTo(3);
        assertThat(walked)
                .extracting(lease -> lease.tenant().value())
                .doesNotHaveDuplicates()
                .hasSize(7);
        assertThat(walked).extracting(Lease::createdOrder).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(retired.leases())
                .extracting(lease -> lease.tenant().value())
                .containsExactlyInAnyOrder("tenant-3", "tenant-6");
        assertThat(retired.next()).isEmpty();
    }

    @Test
    void givenACursorNotHandedOut_whenPaging_thenRefusedAsTheCallersMistake() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        allocate(registry, 1);

        assertThatThrownBy(() -> registry.page(new LeaseQuery(10, Optional.of("not-a-cursor!"), Optional.empty())))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> registry.needingAttention(10, Optional.of(Cursors.of("12|x"))))
                .isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void givenLeasesInEveryStage_whenAskedForThoseNeedingAttention_thenOnlyUnfinishedOnesLeastRecentFirstPageByPage() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3099));
        Lease allocatedOnly = allocate(registry, 1);
        Lease started = registry.save(allocate(registry, 2)
                .started(dev.tenantprovisioner.domain.model.TaskId.of("t-2"), allocatedOnly.updatedAt()));
        Lease done = registry.save(registry.save(allocate(registry, 3)
                        .started(dev.tenantprovisioner.domain.model.TaskId.of("t-3"), allocatedOnly.updatedAt()))
                .withState(TenantState.RUNNING)
                .withNotification(dev.tenantprovisioner.domain.model.NotificationState.SENT, Optional.empty()));
        Lease unsent = registry.save(registry.save(allocate(registry, 4)
                        .started(dev.tenantprovisioner.domain.model.TaskId.of("t-4"), allocatedOnly.updatedAt()))
                .withState(TenantState.RUNNING));
        registry.release(allocate(registry, 5), "test: no capacity", false);
        allocate(registry, 6);
        registry.retire(aTenant(6));

        LeasePage first = registry.needingAttention(2, Optional.empty());
        LeasePage second = registry.needingAttention(2, first.next());

        List<Lease> attention = new ArrayList<>(first.leases());
        attention.addAll(second.leases());
        assertThat(attention)
                .extracting(lease -> lease.tenant().value())
                .containsExactlyInAnyOrder("tenant-1", "tenant-2", "tenant-4");
        assertThat(attention).allMatch(Lease::needsAttention);
        assertThat(attention).extracting(Lease::updatedOrder).isSorted();
        assertThat(first.next()).isPresent();
        assertThat(second.next()).isEmpty();
        assertThat(done.needsAttention()).isFalse();
        assertThat(started.needsAttention()).isTrue();
        assertThat(unsent.needsAttention()).isTrue();
    }

    // ---- Limits, provision slots and tombstones that forget

    @Test
    void givenTheActiveLimitReached_whenANewTenantIsGranted_thenAtLimitAndNothingIsHeldOrWritten() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease first = registry.grant(aTenant(1), anEmail(1), false, 2)
                .allocated()
                .orElseThrow()
                .lease();
        registry.grant(aTenant(2), anEmail(2), false, 2);

        Grant refused = registry.grant(aTenant(3), anEmail(3), false, 2);

        assertThat(refused).isEqualTo(new Grant.AtLimit(2));
        assertThat(registry.find(aTenant(3))).isEmpty();
        assertThat(registry.grant(aTenant(1), anEmail(1), false, 2).allocated())
                .as("a tenant holding a port gets its lease back at the limit")
                .hasValueSatisfying(again -> assertThat(again.lease()).isEqualTo(first));
        registry.release(first, "test: gone", false);
        assertThat(registry.grant(aTenant(3), anEmail(3), false, 2).allocated())
                .as("a port given up makes room")
                .hasValueSatisfying(
                        granted -> assertThat(granted.lease().port()).contains(HostPort.of(3000)));
        assertThat(registry.grant(aTenant(4), anEmail(4), false, 2)).isEqualTo(new Grant.AtLimit(2));
    }

    @Test
    void givenTenantsHoldingAndGivingUpPortsEveryWay_whenCountedByTheLimit_thenHeldPortsAndTombstonesDoNotCount() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease one = allocate(registry, 1);
        Lease two = allocate(registry, 2);
        allocate(registry, 3);
        registry.save(registry.find(aTenant(3)).orElseThrow().suspended("test"));
        registry.save(one.started(TaskId.of("task-1"), java.time.Instant.now()));
        registry.retire(aTenant(1));
        registry.release(two, "port in use", true);

        assertThat(registry.grant(aTenant(4), anEmail(4), false, 2).allocated())
                .as("one tenant (suspended, so holding its port) is counted")
                .isPresent();
        assertThat(registry.grant(aTenant(5), anEmail(5), false, 2)).isEqualTo(new Grant.AtLimit(2));
    }

    @Test
    void givenManyThreadsGrantingDistinctTenantsUnderALimit_thenExactlyTheLimitIsGrantedAndTheRestRefused()
            throws Exception {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3099));
        int threads = 8;
        int max = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        try {
            List<Future<Grant>> answers = new ArrayList<>();
            for (int t = 0; t < threads * 2; t++) {
                int n = t;
                answers.add(pool.submit(() -> {
                    if (n < threads) {
                        together.await(30, TimeUnit.SECONDS);
                    }
                    return registry.grant(aTenant(n), anEmail(n), false, max);
                }));
            }
            List<Grant> grants = new ArrayList<>();
            for (Future<Grant> answer : answers) {
                grants.add(answer.get(120, TimeUnit.SECONDS));
            }

            assertThat(grants.stream().filter(grant -> grant instanceof Grant.Granted))
                    .hasSize(max);
            assertThat(grants.stream().filter(grant -> grant instanceof Grant.AtLimit))
                    .hasSize(threads * 2 - max);
            assertThat(registry.list(100)).hasSize(max);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenEverySlotTaken_whenAnotherIsAsked_thenNoneUntilOneIsReleasedOrItsTimePasses() {
        ManualClock clock = new ManualClock();
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009), clock);
        java.time.Duration hold = java.time.Duration.ofMinutes(2);
        ProvisionSlot first = registry.takeSlot(aTenant(1), 2, hold).orElseThrow();
        ProvisionSlot second = registry.takeSlot(aTenant(2), 2, hold).orElseThrow();

        assertThat(registry.takeSlot(aTenant(3), 2, hold)).isEmpty();
        assertThat(first.index()).isNotEqualTo(second.index());
        assertThat(first.until()).isEqualTo(clock.instant().plus(hold));

        registry.releaseSlot(first);
        ProvisionSlot third = registry.takeSlot(aTenant(3), 2, hold).orElseThrow();
        assertThat(third.index()).isEqualTo(first.index());
        assertThat(registry.takeSlot(aTenant(4), 2, hold)).isEmpty();

        clock.advance(hold.plusSeconds(1));
        ProvisionSlot afterItsTime = registry.takeSlot(aTenant(4), 2, hold).orElseThrow();
        registry.releaseSlot(second);
        registry.releaseSlot(third);
        assertThat(registry.takeSlot(aTenant(5), 2, hold))
                .as("a late release of a slot taken anew since frees nothing")
                .isPresent();
        assertThat(registry.takeSlot(aTenant(6), 2, hold)).isEmpty();
        assertThat(afterItsTime.tenant()).isEqualTo(aTenant(4));
    }

    @Test
    void givenManyThreadsTakingSlots_thenNeverMoreThanTheMaxAreHeld() throws Exception {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        int threads = 8;
        int max = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        try {
            List<Future<java.util.Optional<ProvisionSlot>>> answers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                answers.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return registry.takeSlot(aTenant(n), max, java.time.Duration.ofMinutes(2));
                }));
            }
            List<ProvisionSlot> taken = new ArrayList<>();
            for (Future<java.util.Optional<ProvisionSlot>> answer : answers) {
                answer.get(120, TimeUnit.SECONDS).ifPresent(taken::add);
            }

            assertThat(taken).hasSize(max);
            assertThat(taken.stream().map(ProvisionSlot::index).distinct()).hasSize(max);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenATenantWithAnEmail_whenRetired_thenTheTombstoneKeepsNoEmail() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        allocate(registry, 1);

        registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(90)));

        assertThat(registry.find(aTenant(1)).orElseThrow().email()).isEmpty();
    }

    @Test
    void givenATombstoneWithATimeToLive_whenItsTimePasses_thenItIsForgottenAndTheTenantMayBeGrantedAgain() {
        ManualClock clock = new ManualClock();
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009), clock);
        Lease first = allocate(registry, 1);
        java.time.Duration ttl = java.time.Duration.ofDays(90);

        registry.retire(aTenant(1), java.util.Optional.of(ttl));
        Lease tombstone = registry.find(aTenant(1)).orElseThrow();
        assertThat(tombstone.forgetAt()).contains(clock.instant().plus(ttl));
        assertThat(registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(1))))
                .as("a repeat keeps the first tombstone's time")
                .contains(tombstone);
        clock.advance(ttl.minusSeconds(1));
        assertThat(registry.allocate(aTenant(1), anEmail(1), false))
                .as("still blocks a provision before its time")
                .contains(tombstone);

        clock.advance(java.time.Duration.ofSeconds(1));

        assertThat(registry.find(aTenant(1))).isEmpty();
        assertThat(registry.page(new LeaseQuery(10, java.util.Optional.empty(), java.util.Optional.empty()))
                        .leases())
                .isEmpty();
        Lease again = registry.allocate(aTenant(1), anEmail(1), false).orElseThrow();
        assertThat(again.state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(again.version()).as("versions never repeat for a tenant").isGreaterThan(tombstone.version());
        assertThat(again.generation()).isGreaterThan(first.generation());
    }

    @Test
    void givenAForgottenTombstone_whenRetiredAgain_thenANewTombstoneIsWritten() {
        ManualClock clock = new ManualClock();
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009), clock);
        registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(7)));
        clock.advance(java.time.Duration.ofDays(8));

        assertThat(registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(7))))
                .isEmpty();

        Lease tombstone = registry.find(aTenant(1)).orElseThrow();
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.forgetAt()).contains(clock.instant().plus(java.time.Duration.ofDays(7)));
    }

    @Test
    void givenTheForgottenTombstoneOfATenantThatRan_whenRetiredAgain_thenItsGenerationGoesOn() {
        ManualClock clock = new ManualClock();
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009), clock);
        int generation = allocate(registry, 1).generation();
        registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(7)));
        clock.advance(java.time.Duration.ofDays(8));

        registry.retire(aTenant(1), java.util.Optional.of(java.time.Duration.ofDays(7)));

        assertThat(registry.find(aTenant(1)).orElseThrow().generation())
                .as("a later revive must not reuse the first generation's start tokens and email key")
                .isEqualTo(generation);
    }

    @Test
    void givenACrashStreakAndTheHostLastAnnounced_whenSaved_thenBothAreReadBack() {
        PortRegistry registry = newRegistry(PortPool.range(3000, 3009));
        Lease started = registry.save(allocate(registry, 1).started(TaskId.of("task-1"), java.time.Instant.now()));
        dev.tenantprovisioner.domain.model.Crashes crashes = new dev.tenantprovisioner.domain.model.Crashes(
                        2, java.time.Instant.parse("2026-11-29T10:00:00Z"), java.util.Optional.empty())
                .restartingAt(java.time.Instant.parse("2026-11-29T10:00:35Z"));

        Lease saved = registry.save(started.withState(TenantState.STOPPED)
                .withCrashes(crashes)
                .withAnnouncedHost(dev.tenantprovisioner.domain.model.Ipv4Address.of("203.0.113.7")));

        assertThat(registry.find(aTenant(1))).contains(saved);
        assertThat(saved.crashes()).contains(crashes);
        assertThat(saved.restartPending()).isTrue();
        assertThat(registry.needingAttention(10, java.util.Optional.empty()).leases())
                .as("a restart waiting for its backoff needs attention")
                .containsExactly(saved);
    }
}
