package dev.tenantprovisioner.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.ManualClock;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a runtime, each kind of drift injected behind the provisioner's back: a task no lease names, a
 * tombstone whose task still runs, a start whose caller died before recording it, a task that stopped by itself (an
 * exit, a kill, a task stopped by hand), a lease stuck before it ran. Runtimes extend it with their runtime, a registry
 * and the hooks that move a task as the runtime would; the use cases run on {@link #clock}.
 */
public abstract class ReconcileContract {

    protected final ManualClock clock = new ManualClock();
    protected final List<WelcomeEmail> sent = new CopyOnWriteArrayList<>();

    private PortRegistry registry;
    private ContainerRuntime runtime;
    private ReconcileTenants reconcile;
    private DescribeTenant describe;
    private ResumeStalledTenants sweep;

    /** A fresh, empty registry whose leases are written at {@link #clock}'s time. */
    protected abstract PortRegistry newRegistry();

    /** The runtime under test, with no tasks. */
    protected abstract ContainerRuntime newRuntime();

    /** The task has reached running (on runtimes that start tasks as pending), and its app listens. */
    protected abstract void givenRunning(TaskId task);

    /** The task stops without the provisioner asking (its app crashed, was killed, or was stopped by hand). */
    protected abstract void givenStoppedBehindTheBack(TaskId task);

    /** A host port the runtime can use for the {@code n}-th tenant of a test. */
    protected abstract HostPort port(int n);

    @BeforeEach
    void wire() {
        registry = newRegistry();
        runtime = newRuntime();
        Backends backends = Backends.of(registry, runtime, sent::add);
        ProvisioningPolicy policy = ProvisioningPolicy.defaults();
        reconcile = new ReconcileTenants(backends, policy, clock);
        describe = new DescribeTenant(backends, policy, clock);
        sweep = new ResumeStalledTenants(backends, policy, clock);
    }

    protected static TenantId tenant(int n) {
        return TenantId.of("drift-" + n);
    }

    private Lease allocated(int n) {
        Lease lease = registry.allocate(tenant(n), Email.of("owner" + n + "@example.com"), false)
                .orElseThrow();
        assertThat(lease.requirePort())
                .as("the registry's pool starts at the test's ports")
                .isEqualTo(port(n));
        return lease;
    }

    private TaskId start(TenantId tenant, HostPort port, String token) {
        return ((StartOutcome.Started) runtime.start(new ContainerSpec(tenant, port, token))).task();
    }

    /** A tenant provisioned to the end: its task running, its email sent. */
    private Lease running(int n) {
        Lease lease = allocated(n);
        TaskId task = start(tenant(n), lease.requirePort(), lease.startToken());
        registry.save(lease.started(task, clock.instant()));
        givenRunning(task);
        Lease running = describe.describe(tenant(n)).orElseThrow().lease();
        assertThat(running.state()).isEqualTo(TenantState.RUNNING);
        return running;
    }

    /** The reconciler under test, for a runtime's own drift tests. */
    protected ReconcileTenants reconciler() {
        return reconcile;
    }

    /** A tenant (the first) provisioned to the end, and its task. */
    protected TaskId provisionedTask() {
        return running(1).task().orElseThrow();
    }

    private boolean live(TaskId task) {
        return runtime.liveTasks().stream().map(LiveTask::task).anyMatch(task::equals);
    }

    @Test
    void givenEverythingAsTheRegistrySays_whenReconciled_thenNothingIsRepaired() {
        Lease lease = running(1);

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(report.tasks()).isEqualTo(1);
        assertThat(registry.find(tenant(1))).contains(lease);
    }

    @Test
    void givenATaskNoLeaseNames_whenReconciled_thenItIsStoppedWithTheReason() {
        running(1);
        TaskId stray = start(TenantId.of("stray"), port(2), "stray-g1-r0");
        givenRunning(stray);

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.ORPHAN_STOPPED);
            assertThat(action.task()).contains(stray);
            assertThat(action.reason()).isEqualTo("no lease names it: the tenant has no lease");
        });
        assertThat(live(stray)).isFalse();
        assertThat(runtime.status(stray).phase())
                .isIn(ContainerStatus.Phase.STOPPING, ContainerStatus.Phase.STOPPED, ContainerStatus.Phase.GONE);
        assertThat(registry.find(tenant(1)).orElseThrow().state()).isEqualTo(TenantState.RUNNING);
    }

    @Test
    void givenADeprovisionedTenantWhoseTaskStillRuns_whenReconciled_thenTheTaskIsStopped() {
        Lease lease = running(1);
        registry.retire(tenant(1));

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.ORPHAN_STOPPED);
            assertThat(action.task()).isEqualTo(lease.task());
            assertThat(action.reason()).isEqualTo("the tenant is deprovisioned and its task still ran");
        });
        assertThat(live(lease.task().orElseThrow())).isFalse();
    }

    @Test
    void givenAStartWhoseCallerDiedBeforeRecordingIt_whenReconciled_thenTheLeaseAdoptsTheTask() {
        Lease lease = allocated(1);
        TaskId task = start(tenant(1), lease.requirePort(), lease.startToken());

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.TASK_ADOPTED);
            assertThat(action.reason()).contains("never recorded");
        });
        Lease adopted = registry.find(tenant(1)).orElseThrow();
        assertThat(adopted.state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(adopted.task()).contains(task);
        assertThat(live(task)).isTrue();
    }

    @Test
    void givenATaskThatStoppedBehindTheProvisionersBack_whenReconciled_thenACrashRestartedOnItsPortAfterTheBackoff() {
        Lease lease = running(1);
        TaskId first = lease.task().orElseThrow();
        givenStoppedBehindTheBack(first);

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.LOST_TASK);
            assertThat(action.task()).contains(first);
            assertThat(action.reason())
                    .startsWith("the runtime no longer runs task " + first + ": container stopped: ");
        });
        Lease crashed = registry.find(tenant(1)).orElseThrow();
        assertThat(crashed.state()).isEqualTo(TenantState.STOPPED);
        assertThat(crashed.restartPending()).isTrue();
        assertThat(runtime.liveTasks())
                .as("nothing is started before the backoff")
                .isEmpty();

        clock.advance(Duration.ofSeconds(5));
        sweep.resume(new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 100));

        Lease restarted = registry.find(tenant(1)).orElseThrow();
        assertThat(restarted.state()).isIn(TenantState.CONTAINER_STARTED, TenantState.RUNNING);
        assertThat(restarted.task()).isPresent().isNotEqualTo(lease.task());
        assertThat(restarted.port()).isEqualTo(lease.port());
        assertThat(restarted.restarts()).isEqualTo(1);
        assertThat(live(restarted.task().orElseThrow())).isTrue();
        assertThat(sent).as("a restart sends no new email").hasSize(1);
        assertThat(reconcile.reconcile().actions()).as("nothing left to repair").isEmpty();
    }

    @Test
    void givenALeaseStuckBeforeItsStartForLongerThanTheDeadline_whenReconciled_thenItIsMovedOn() {
        allocated(1);
        clock.advance(ProvisioningPolicy.DEFAULT_START_DEADLINE.plusMinutes(1));

        ReconcileTenants.Report report = reconcile.reconcile();

        assertThat(report.actions()).singleElement().satisfies(action -> {
            assertThat(action.kind()).isEqualTo(ReconcileTenants.Kind.STUCK_FINISHED);
            assertThat(action.reason())
                    .startsWith("stuck port_allocated since ")
                    .containsPattern("moved on to (container_started|running)");
        });
        Lease moved = registry.find(tenant(1)).orElseThrow();
        assertThat(moved.state()).isIn(TenantState.CONTAINER_STARTED, TenantState.RUNNING);
        assertThat(live(moved.task().orElseThrow())).isTrue();
    }
}
