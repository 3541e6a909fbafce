package dev.tenantprovisioner.adapters.inmemory.usecase;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.HeldPort;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.ProvisionSlot;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Pass-through adapters; a test overrides the one call it interferes with (a race, a lost answer). */
final class Decorators {

    private Decorators() {}

    static class Registry implements PortRegistry {
        final PortRegistry delegate;

        Registry(PortRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public Grant grant(TenantId tenant, Email email, boolean revive, int maxActive) {
            return delegate.grant(tenant, email, revive, maxActive);
        }

        @Override
        public Optional<Lease> find(TenantId tenant) {
            return delegate.find(tenant);
        }

        @Override
        public Lease save(Lease next) {
            return delegate.save(next);
        }

        @Override
        public Lease release(Lease current, String reason, boolean holdPort) {
            return delegate.release(current, reason, holdPort);
        }

        @Override
        public Optional<Lease> retire(TenantId tenant, Optional<Duration> forgetAfter) {
            return delegate.retire(tenant, forgetAfter);
        }

        @Override
        public Optional<ProvisionSlot> takeSlot(TenantId tenant, int max, Duration hold) {
            return delegate.takeSlot(tenant, max, hold);
        }

        @Override
        public void releaseSlot(ProvisionSlot slot) {
            delegate.releaseSlot(slot);
        }

        @Override
        public List<HeldPort> heldPorts(int limit) {
            return delegate.heldPorts(limit);
        }

        @Override
        public boolean freeHeldPort(HostPort port, Optional<TaskId> task) {
            return delegate.freeHeldPort(port, task);
        }

        @Override
        public List<Lease> list(int limit) {
            return delegate.list(limit);
        }

        @Override
        public LeasePage page(LeaseQuery query) {
            return delegate.page(query);
        }

        @Override
        public LeasePage needingAttention(int limit, Optional<String> cursor) {
            return delegate.needingAttention(limit, cursor);
        }

        @Override
        public PortPool pool() {
            return delegate.pool();
        }
    }

    static class Runtime implements ContainerRuntime {
        final ContainerRuntime delegate;

        Runtime(ContainerRuntime delegate) {
            this.delegate = delegate;
        }

        @Override
        public StartOutcome start(ContainerSpec spec) {
            return delegate.start(spec);
        }

        @Override
        public ContainerStatus status(TaskId task) {
            return delegate.status(task);
        }

        @Override
        public void stop(TaskId task, TenantId tenant, StopReason reason) {
            delegate.stop(task, tenant, reason);
        }

        @Override
        public void forget(TenantId tenant) {
            delegate.forget(tenant);
        }

        @Override
        public List<LiveTask> liveTasks() {
            return delegate.liveTasks();
        }
    }

    static class Databases implements TenantDatabases {
        final TenantDatabases delegate;

        Databases(TenantDatabases delegate) {
            this.delegate = delegate;
        }

        @Override
        public TenantDatabase ensure(TenantId tenant, int generation) {
            return delegate.ensure(tenant, generation);
        }

        @Override
        public TenantDatabase access(TenantId tenant, int generation) {
            return delegate.access(tenant, generation);
        }

        @Override
        public void remove(TenantId tenant, int generation) {
            delegate.remove(tenant, generation);
        }
    }

    /**
     * A registry where another writer always wins the compare-and-set of the leases {@code contested} picks (once
     * {@link #armed}); counts the lost saves.
     */
    static final class Contested extends Registry {
        final AtomicBoolean armed = new AtomicBoolean(true);
        final AtomicInteger lostSaves = new AtomicInteger();
        private final Predicate<Lease> contested;

        Contested(PortRegistry delegate, Predicate<Lease> contested) {
            super(delegate);
            this.contested = contested;
        }

        @Override
        public Lease save(Lease next) {
            if (armed.get() && contested.test(next)) {
                lostSaves.incrementAndGet();
                throw new LeaseConflictException(next.tenant(), "another writer won");
            }
            return super.save(next);
        }
    }

    /**
     * A registry whose leases are deleted by another writer (once {@link #armed}) just before the next save, which
     * then loses its compare-and-set; every later read finds nothing.
     */
    static final class Vanishing extends Registry {
        final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicBoolean gone = new AtomicBoolean();

        Vanishing(PortRegistry delegate) {
            super(delegate);
        }

        @Override
        public Lease save(Lease next) {
            if (armed.get()) {
                gone.set(true);
                throw new LeaseConflictException(next.tenant(), "deleted meanwhile");
            }
            return super.save(next);
        }

        @Override
        public Optional<Lease> find(TenantId tenant) {
            return gone.get() ? Optional.empty() : super.find(tenant);
        }
    }
}
