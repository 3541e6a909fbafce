package dev.tenantprovisioner.adapters.aws.dynamodb;

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
import dev.tenantprovisioner.domain.spi.InvalidCursorException;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * A {@link PortRegistry} in one DynamoDB table (see {@link PortTable}). Every change that moves a port
 * is a single {@code TransactWriteItems} over the lease, the port's owner item and the pool, so there is
 * no state between two requests for a crash to leave behind: a caller that dies has either changed
 * everything or nothing, and a repeat finds either the lease or a free port. Allocation is optimistic:
 * it assumes a new tenant and learns otherwise from the lost condition, which DynamoDB returns with the
 * stored lease. A new tenant costs two requests (Query + TransactWriteItems), a tenant that holds a port
 * two (the cancelled transaction returns its lease), a failed or revived one three. The same transactions move the count
 * of tenants holding a port ({@link ActiveCount}), so a limit on it holds across processes; provision slots are items
 * of their own ({@link SlotItems}). A tombstone with a time to live carries it as {@code expiresAt}, the table's TTL
 * attribute, and is read as gone once it is due, whenever DynamoDB deletes it.
 */
public final class DynamoDbPortRegistry implements PortRegistry {

    private static final System.Logger LOG = System.getLogger(DynamoDbPortRegistry.class.getName());

    private final DynamoDbClient client;
    private final TableName table;
    private final PortPool pool;
    private final Clock clock;
    private final Requests requests;
    private final PoolItems poolItems;
    private final Transactions transactions;
    private final LeaseWrites writes;
    private final HeldItems heldItems;
    private final ActiveCount activeCount;
    private final SlotItems slots;
    private final Jitter jitter = new Jitter();

    public DynamoDbPortRegistry(DynamoDbClient client, TableName table, PortPool pool, Clock clock) {
        this.client = client;
        this.table = table;
        this.pool = pool;
        this.clock = clock;
        this.requests = new Requests(table);
        this.poolItems = new PoolItems(client, table, pool, requests);
        this.transactions = new Transactions(client, table, requests, jitter);
        this.writes = new LeaseWrites(table);
        this.heldItems = new HeldItems(table);
        this.activeCount = new ActiveCount(client, table, requests);
        this.slots = new SlotItems(client, table, requests, clock);
    }

    public DynamoDbPortRegistry(DynamoDbClient client, TableName table, PortPool pool) {
        this(client, table, pool, Clock.systemUTC());
    }

    /**
     * Draws a new seed for the backoff jitter. A JVM restored from a snapshot calls it, so that copies restored
     * from one snapshot do not back off in lockstep after colliding on the same port.
     */
    public void reseedJitter() {
        jitter.reseed();
    }

    @Override
    public Grant grant(TenantId tenant, Email email, boolean revive, int maxActive) {
        Optional<Lease> known = Optional.empty();
        Optional<PoolItems.Candidate> candidate = Optional.empty();
        for (int attempt = 1; attempt <= Transactions.MAX_ATTEMPTS; attempt++) {
            if (known.isPresent() && keeps(known.get(), revive)) {
                return new Grant.Granted(new Allocation(known.get(), false));
            }
            if (candidate.isEmpty()) {
                candidate = poolItems.lowestFree();
                if (candidate.isEmpty()) {
                    return stored(tenant)
                            .filter(lease -> keeps(lease, revive))
                            .<Grant>map(lease -> new Grant.Granted(new Allocation(lease, false)))
                            .orElseGet(Grant.Exhausted::new);
                }
            }
            Lease granted =
                    Lease.granted(tenant, email, HostPort.of(candidate.get().port()), known, clock.instant());
            Transactions.Result result = transactions.write(
                    "allocate " + tenant,
                    Keys.tenant(tenant),
                    List.of(
                            writes.putLease(granted, known.map(Lease::version)),
                            writes.claimPort(granted),
                            candidate.get().take(),
                            activeCount.increment(maxActive)));
            if (result.succeeded()) {
                return new Grant.Granted(new Allocation(granted, true));
            }
            if (result.lost(0)) {
                known = result.oldItem(0).map(LeaseItems::fromItem).or(() -> stored(tenant));
            }
            if (result.lost(3)) {
                if (known.isPresent() && keeps(known.get(), revive)) {
                    continue;
                }
                if (!ActiveCount.missing(result.oldItem(3))) {
                    return new Grant.AtLimit(maxActive);
                }
                activeCount.seed();
                continue;
            }
            // Someone took the candidate first. The port owner and the pool item change together, so losing
            // either means the candidate is gone: look for the next one.
            if (result.lost(1) || result.lost(2) || result.contended()) {
                candidate = Optional.empty();
                transactions.backOff(attempt);
            }
        }
        throw transactions.gaveUp("allocate " + tenant, Keys.tenant(tenant));
    }

    @Override
    public Optional<Lease> find(TenantId tenant) {
        return stored(tenant).filter(lease -> !lease.forgotten(clock.instant()));
    }

    /** The lease item as stored, a tombstone past its time to live included. */
    private Optional<Lease> stored(TenantId tenant) {
        Map<String, AttributeValue> key = Keys.tenant(tenant);
        Map<String, AttributeValue> item = requests.send(
                        "GetItem",
                        key,
                        () -> client.getItem(
                                r -> r.tableName(table.value()).key(key).consistentRead(true)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(LeaseItems.fromItem(item));
    }

    @Override
    public Lease save(Lease next) {
        next.requireSavable();
        Lease written = next.stored(clock.instant());
        PutItemRequest put = PutItemRequest.builder()
                .tableName(table.value())
                .item(LeaseItems.toItem(written))
                .conditionExpression("#version = :version AND #generation = :generation AND #port = :port")
                .expressionAttributeNames(Map.of(
                        "#version", LeaseItems.VERSION, "#generation", LeaseItems.GENERATION, "#port", LeaseItems.PORT))
                .expressionAttributeValues(Map.of(
                        ":version",
                        Keys.n(next.version()),
                        ":generation",
                        Keys.n(next.generation()),
                        ":port",
                        Keys.n(next.requirePort().value())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            requests.send("PutItem", Keys.tenant(next.tenant()), () -> client.putItem(put));
            return written;
        } catch (ConditionalCheckFailedException lost) {
            Optional<Lease> stored = lost.hasItem() && !lost.item().isEmpty()
                    ? Optional.of(LeaseItems.fromItem(lost.item()))
                    : Optional.empty();
            if (stored.isPresent() && stored.get().version() == next.version()) {
                next.requireSameSlotAs(stored.get());
            }
            throw conflict(next, stored);
        }
    }

    @Override
    public Lease release(Lease current, String reason, boolean holdPort) {
        current.requireReleasable();
        Lease written =
                current.released(TenantState.FAILED, Optional.of(reason)).stored(clock.instant());
        giveUpPort(current, written, holdPort);
        return written;
    }

    @Override
    public Optional<Lease> retire(TenantId tenant, Optional<Duration> forgetAfter) {
        for (int attempt = 1; attempt <= Transactions.MAX_ATTEMPTS; attempt++) {
            Optional<Lease> stored = stored(tenant);
            Optional<Lease> existing = stored.filter(lease -> !lease.forgotten(clock.instant()));
            if (existing.isPresent() && existing.get().state() == TenantState.DEPROVISIONED) {
                return existing;
            }
            Lease tombstone = existing.map(lease -> lease.released(TenantState.DEPROVISIONED, Optional.empty())
                            .stored(clock.instant()))
                    .orElseGet(() -> Lease.tombstone(tenant, clock.instant()).toBuilder()
                            .version(stored.map(forgotten -> forgotten.version() + 1)
                                    .orElse(1L))
                            // A forgotten tombstone's generation goes on while its item is still there.
                            .generation(stored.map(Lease::generation).orElse(0))
                            .build());
            if (forgetAfter.isPresent()) {
                tombstone = tombstone.forgottenAt(clock.instant().plus(forgetAfter.get()));
            }
            try {
                if (existing.isPresent() && existing.get().port().isPresent()) {
                    giveUpPort(existing.get(), tombstone, existing.get().portMayBeInUse());
                } else {
                    writeLease(tombstone, stored.map(Lease::version));
                }
                return existing;
            } catch (LeaseConflictException changedMeanwhile) {
                transactions.backOff(attempt);
            }
        }
        throw transactions.gaveUp("retire " + tenant, Keys.tenant(tenant));
    }

    @Override
    public List<HeldPort> heldPorts(int limit) {
        List<HeldPort> held = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder()
                    .tableName(table.value())
                    .keyConditionExpression("#pk = :held")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK))
                    .expressionAttributeValues(Map.of(":held", Keys.s(Keys.HELD)))
                    .limit(limit - held.size())
                    .consistentRead(true);
            if (from != null) {
                query.exclusiveStartKey(from);
            }
            QueryResponse page = requests.send("Query", Keys.key(Keys.HELD, 0), () -> client.query(query.build()));
            page.items().stream()
                    .flatMap(item -> readable(item, HeldItems::fromItem).stream())
                    .forEach(held::add);
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && held.size() < limit);
        return held;
    }

    @Override
    public boolean freeHeldPort(HostPort port, Optional<TaskId> task) {
        for (int attempt = 1; attempt <= Transactions.MAX_ATTEMPTS; attempt++) {
            Transactions.Result result = transactions.write(
                    "free held port " + port,
                    Keys.held(port.value()),
                    List.of(heldItems.release(port, task), poolItems.giveBack(port.value())));
            if (result.succeeded()) {
                return true;
            }
            if (result.lost(0)) {
                return false;
            }
            if (!result.contended()) {
                throw requests.failure(
                        "TransactWriteItems",
                        Keys.describe(Keys.released(port.value())),
                        "held port " + port + " is in the pool already: " + result.codes(),
                        false);
            }
            transactions.backOff(attempt);
        }
        throw transactions.gaveUp("free held port " + port, Keys.held(port.value()));
    }

    @Override
    public List<Lease> list(int limit) {
        List<Lease> leases = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder()
                    .tableName(table.value())
                    .filterExpression("begins_with(#pk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK))
                    .expressionAttributeValues(Map.of(":prefix", Keys.s(Keys.TENANT_PREFIX)));
            if (from != null) {
                scan.exclusiveStartKey(from);
            }
            ScanResponse page = requests.send("Scan", Keys.key(Keys.TENANT_PREFIX, 0), () -> client.scan(scan.build()));
            for (Map<String, AttributeValue> item : page.items()) {
                if (leases.size() < limit) {
                    readable(item, LeaseItems::fromItem).ifPresent(leases::add);
                }
            }
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && leases.size() < limit);
        return leases;
    }

    @Override
    public LeasePage page(LeaseQuery query) {
        Map<String, String> names = new HashMap<>(Map.of("#k", PortTable.LIST_KEY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", Keys.s("LEASE")));
        Optional<String> filter = query.state().map(state -> {
            names.put("#state", "state");
            values.put(":state", Keys.s(state.name()));
            return "#state = :state";
        });
        return walk(
                PortTable.BY_CREATED,
                PortTable.LIST_KEY,
                "LEASE",
                PortTable.LIST_ORDER,
                false,
                names,
                values,
                filter,
                query.limit(),
                query.cursor(),
                Lease::createdOrder);
    }

    @Override
    public LeasePage needingAttention(int limit, Optional<String> cursor) {
        return walk(
                PortTable.ATTENTION,
                PortTable.ATTENTION_KEY,
                "ATTENTION",
                PortTable.ATTENTION_ORDER,
                true,
                new HashMap<>(Map.of("#k", PortTable.ATTENTION_KEY)),
                new HashMap<>(Map.of(":k", Keys.s("ATTENTION"))),
                Optional.empty(),
                limit,
                cursor,
                Lease::updatedOrder);
    }

    /**
     * Reads one index in order from the cursor: {@code limit} leases and one more (to know whether a next page
     * exists), skipping damaged items; the cursor is the last lease's order key.
     */
    private LeasePage walk(
            String index,
            String hashName,
            String hashValue,
            String orderName,
            boolean ascending,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            Optional<String> filter,
            int limit,
            Optional<String> cursor,
            java.util.function.Function<Lease, String> order) {
        Map<String, AttributeValue> from = Cursors.key(cursor)
                .map(key -> startKey(hashName, hashValue, orderName, key))
                .orElse(null);
        List<Lease> found = new ArrayList<>();
        do {
            QueryRequest.Builder query = QueryRequest.builder()
                    .tableName(table.value())
                    .indexName(index)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(ascending)
                    .limit(limit + 1 - found.size());
            filter.ifPresent(query::filterExpression);
            if (from != null) {
                query.exclusiveStartKey(from);
            }
            QueryResponse page = requests.send("Query", Keys.key(hashValue, 0), () -> client.query(query.build()));
            page.items().stream()
                    .flatMap(item -> readable(item, LeaseItems::fromItem).stream())
                    .filter(lease -> !lease.forgotten(clock.instant()))
                    .forEach(found::add);
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && found.size() <= limit);
        if (found.size() <= limit) {
            return new LeasePage(found, Optional.empty());
        }
        List<Lease> leases = found.subList(0, limit);
        return new LeasePage(leases, Optional.of(Cursors.of(order.apply(leases.get(limit - 1)))));
    }

    /** Where a page starts: the table key of the lease a cursor names, with its place in the index. */
    private static Map<String, AttributeValue> startKey(
            String hashName, String hashValue, String orderName, String orderKey) {
        TenantId tenant;
        try {
            tenant = TenantId.of(orderKey.substring(orderKey.indexOf('|') + 1));
        } catch (IllegalArgumentException notATenant) {
            throw new InvalidCursorException(Cursors.of(orderKey));
        }
        Map<String, AttributeValue> key = new HashMap<>(Keys.tenant(tenant));
        key.put(hashName, Keys.s(hashValue));
        key.put(orderName, Keys.s(orderKey));
        return key;
    }

    @Override
    public PortPool pool() {
        return pool;
    }

    /**
     * An item read by a listing, or empty (and a warning) when it cannot be read: one damaged item (written by hand,
     * or by a future version) must not stop a sweep or a listing of all the others.
     */
    private static <T> Optional<T> readable(
            Map<String, AttributeValue> item, java.util.function.Function<Map<String, AttributeValue>, T> reader) {
        try {
            return Optional.of(reader.apply(item));
        } catch (RuntimeException unreadable) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "skipping an item that cannot be read (pk "
                            + Optional.ofNullable(item.get(Keys.PK))
                                    .map(AttributeValue::s)
                                    .orElse("missing") + "): " + unreadable);
            return Optional.empty();
        }
    }

    private boolean keeps(Lease lease, boolean revive) {
        return lease.state().holdsPort()
                || (lease.state() == TenantState.DEPROVISIONED && !revive && !lease.forgotten(clock.instant()));
    }

    @Override
    public Optional<ProvisionSlot> takeSlot(TenantId tenant, int max, Duration hold) {
        return slots.take(tenant, max, hold);
    }

    @Override
    public void releaseSlot(ProvisionSlot slot) {
        slots.release(slot);
    }

    /** How many tenants hold a port, as the limit counts them; -1 before the count exists (an older table). */
    public long activeTenants() {
        return activeCount.read();
    }

    /**
     * Writes the lease without its port and gives the port up, all or nothing, if the lease is still {@code current}:
     * back to the pool, or, with {@code hold}, to the held-back ports.
     */
    private void giveUpPort(Lease current, Lease written, boolean hold) {
        int port = current.requirePort().value();
        for (int attempt = 1; attempt <= Transactions.MAX_ATTEMPTS; attempt++) {
            Transactions.Result result = transactions.write(
                    (hold ? "hold" : "free") + " port " + port + " of " + current.tenant(),
                    Keys.tenant(current.tenant()),
                    List.of(
                            writes.putLease(written, Optional.of(current.version())),
                            writes.disown(port, current.tenant()),
                            hold ? heldItems.hold(current, clock.instant()) : poolItems.giveBack(port),
                            activeCount.decrement()));
            if (result.succeeded()) {
                return;
            }
            if (result.lost(0)) {
                throw conflict(current, result.oldItem(0).map(LeaseItems::fromItem));
            }
            if (result.lost(3) && !result.lost(1) && !result.lost(2)) {
                // A table from before the count: count once, then move the port.
                activeCount.seed();
                continue;
            }
            if (!result.contended()) {
                throw requests.failure(
                        "TransactWriteItems",
                        Keys.describe(Keys.port(port)),
                        "port " + port + " is not owned by " + current.tenant() + " or already free or held: "
                                + result.codes(),
                        false);
            }
            transactions.backOff(attempt);
        }
        throw transactions.gaveUp("give up port " + port, Keys.port(port));
    }

    /** A lease write on its own, for the states that hold no port. */
    private void writeLease(Lease written, Optional<Long> expectedVersion) {
        Transactions.Result result = transactions.write(
                "write lease of " + written.tenant(),
                Keys.tenant(written.tenant()),
                List.of(writes.putLease(written, expectedVersion)));
        if (!result.succeeded()) {
            throw conflict(written, result.oldItem(0).map(LeaseItems::fromItem));
        }
    }

    private static LeaseConflictException conflict(Lease expected, Optional<Lease> stored) {
        return new LeaseConflictException(
                expected.tenant(),
                "lease of " + expected.tenant() + " is at version "
                        + stored.map(lease -> Long.toString(lease.version())).orElse("none") + ", expected "
                        + expected.version());
    }
}
