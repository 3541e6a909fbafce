package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.Allocation;
import dev.tenantprovisioner.domain.spi.Cursors;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.HeldPort;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A {@link PortRegistry} in one JVM's memory. Every method holds one lock, which makes each atomic;
 * released ports go to a sorted free set so the lowest free port is always handed out first, or to the
 * held-back ports until their task is reported gone. Tenants holding a port are counted by the owners of ports; a
 * tombstone past its time to live is read as no lease; provision slots expire by the clock.
 */
public final class InMemoryPortRegistry implements PortRegistry {

    private final PortPool pool;
    private final Clock clock;
    private final Map<TenantId, Lease> leases = new HashMap<>();
    private final Map<Integer, TenantId> owners = new HashMap<>();
    private final TreeSet<Integer> released = new TreeSet<>();
    private final TreeMap<Integer, HeldPort> held = new TreeMap<>();
    /** Every pool port below this has been handed out at least once; the ones given back are in {@code released}. */
    private int highWater;
    /** Provision slots by index, while taken. */
    private final Map<Integer, ProvisionSlot> slots = new HashMap<>();

    public InMemoryPortRegistry(PortPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.highWater = pool.first();
    }

    public InMemoryPortRegistry(PortPool pool) {
        this(pool, Clock.systemUTC());
    }

    public InMemoryPortRegistry() {
        this(PortPool.defaults());
    }

    @Override
    public synchronized Grant grant(TenantId tenant, Email email, boolean revive, int maxActive) {
        Lease existing = leases.get(tenant);
        if (existing != null
                && (existing.state().holdsPort()
                        || (existing.state() == TenantState.DEPROVISIONED
                                && !revive
                                && !existing.forgotten(clock.instant())))) {
            return new Grant.Granted(new Allocation(existing, false));
        }
        if (owners.size() >= maxActive) {
            return new Grant.AtLimit(maxActive);
        }
        OptionalInt port = claimLowestFreePort();
        if (port.isEmpty()) {
            return new Grant.Exhausted();
        }
        Lease lease = Lease.granted(
                tenant, email, HostPort.of(port.getAsInt()), Optional.ofNullable(existing), clock.instant());
        owners.put(port.getAsInt(), tenant);
        leases.put(tenant, lease);
        return new Grant.Granted(new Allocation(lease, true));
    }

    @Override
    public synchronized Optional<Lease> find(TenantId tenant) {
        return Optional.ofNullable(leases.get(tenant)).filter(this::remembered);
    }

    private boolean remembered(Lease lease) {
        return !lease.forgotten(clock.instant());
    }

    @Override
    public synchronized Lease save(Lease next) {
        Lease stored = current(next);
        next.requireSameSlotAs(stored);
        next.requireSavable();
        Lease written = next.stored(clock.instant());
        leases.put(next.tenant(), written);
        return written;
    }

    @Override
    public synchronized Lease release(Lease current, String reason, boolean holdPort) {
        Lease stored = current(current);
        stored.requireReleasable();
        giveUp(stored, holdPort);
        Lease written = stored.released(TenantState.FAILED, Optional.of(reason)).stored(clock.instant());
        leases.put(current.tenant(), written);
        return written;
    }

    @Override
    public synchronized Optional<Lease> retire(TenantId tenant, Optional<Duration> forgetAfter) {
        Lease existing = leases.get(tenant);
        if (existing == null || existing.forgotten(clock.instant())) {
            Lease tombstone = Lease.tombstone(tenant, clock.instant());
            if (existing != null) {
                // The forgotten tombstone's successor: its version and generation go on, as for any lease of the
                // tenant (a later revive gets a generation, start tokens and an email key of its own).
                tombstone = tombstone.toBuilder()
                        .version(existing.version() + 1)
                        .generation(existing.generation())
                        .build();
            }
            leases.put(tenant, forgetting(tombstone, forgetAfter));
            return Optional.empty();
        }
        if (existing.state() != TenantState.DEPROVISIONED) {
            if (existing.port().isPresent()) {
                giveUp(existing, existing.portMayBeInUse());
            }
            leases.put(
                    tenant,
                    forgetting(
                            existing.released(TenantState.DEPROVISIONED, Optional.empty())
                                    .stored(clock.instant()),
                            forgetAfter));
        }
        return Optional.of(existing);
    }

    private Lease forgetting(Lease tombstone, Optional<Duration> forgetAfter) {
        return forgetAfter
                .map(after -> tombstone.forgottenAt(clock.instant().plus(after)))
                .orElse(tombstone);
    }

    @Override
    public synchronized List<HeldPort> heldPorts(int limit) {
        return held.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized boolean freeHeldPort(HostPort port, Optional<TaskId> task) {
        HeldPort current = held.get(port.value());
        if (current == null || !current.task().equals(task)) {
            return false;
        }
        held.remove(port.value());
        released.add(port.value());
        return true;
    }

    @Override
    public synchronized List<Lease> list(int limit) {
        return leases.values().stream()
                .filter(this::remembered)
                .limit(limit)
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
    }

    @Override
    public synchronized LeasePage page(LeaseQuery query) {
        Optional<String> after = Cursors.key(query.cursor());
        List<Lease> matching = leases.values().stream()
                .filter(this::remembered)
                .filter(lease ->
                        query.state().map(state -> lease.state() == state).orElse(true))
                .filter(lease -> after.map(key -> lease.createdOrder().compareTo(key) < 0)
                        .orElse(true))
                .sorted(Comparator.comparing(Lease::createdOrder).reversed())
                .toList();
        return pageOf(matching, query.limit(), Lease::createdOrder);
    }

    @Override
    public synchronized LeasePage needingAttention(int limit, Optional<String> cursor) {
        Optional<String> after = Cursors.key(cursor);
        List<Lease> matching = leases.values().stream()
                .filter(Lease::needsAttention)
                .filter(lease -> after.map(key -> lease.updatedOrder().compareTo(key) > 0)
                        .orElse(true))
                .sorted(Comparator.comparing(Lease::updatedOrder))
                .toList();
        return pageOf(matching, limit, Lease::updatedOrder);
    }

    private static LeasePage pageOf(List<Lease> matching, int limit, java.util.function.Function<Lease, String> order) {
        if (matching.size() <= limit) {
            return new LeasePage(matching, Optional.empty());
        }
        List<Lease> page = matching.subList(0, limit);
        return new LeasePage(page, Optional.of(Cursors.of(order.apply(page.get(limit - 1)))));
    }

    @Override
    public PortPool pool() {
        return pool;
    }

    @Override
    public synchronized Optional<ProvisionSlot> takeSlot(TenantId tenant, int max, Duration hold) {
        for (int index = 0; index < max; index++) {
            ProvisionSlot held = slots.get(index);
            if (held == null || !held.until().isAfter(clock.instant())) {
                ProvisionSlot taken = new ProvisionSlot(
                        index,
                        tenant,
                        UUID.randomUUID().toString(),
                        clock.instant().plus(hold));
                slots.put(index, taken);
                return Optional.of(taken);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void releaseSlot(ProvisionSlot slot) {
        slots.remove(slot.index(), slot);
    }

    /** How many tenants hold a port now, as the limit counts them. */
    public synchronized int activeTenants() {
        return owners.size();
    }

    private Lease current(Lease expected) {
        Lease stored = leases.get(expected.tenant());
        if (stored == null || stored.version() != expected.version()) {
            throw new LeaseConflictException(
                    expected.tenant(),
                    "lease of " + expected.tenant() + " is at version " + (stored == null ? "none" : stored.version())
                            + ", expected " + expected.version());
        }
        return stored;
    }

    private OptionalInt claimLowestFreePort() {
        if (!released.isEmpty()) {
            return OptionalInt.of(released.pollFirst());
        }
        OptionalInt next = highWater > pool.last() ? OptionalInt.empty() : pool.nextFrom(highWater);
        next.ifPresent(port -> highWater = port + 1);
        return next;
    }

    private void giveUp(Lease lease, boolean hold) {
        int port = lease.requirePort().value();
        owners.remove(port);
        if (hold) {
            held.put(port, new HeldPort(lease.requirePort(), lease.tenant(), lease.task(), clock.instant()));
        } else {
            released.add(port);
        }
    }
}
