package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.Grant;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants.Sweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The use cases where a race, a refusal or a count decides what they do. */
class UseCaseEdgesTest {

    private static final PortPool POOL = PortPool.range(3000, 3099);
    private static final Sweep SWEEP = new Sweep(Duration.ofMinutes(5), 100);

    private static World withRegistry(UnaryOperator<PortRegistry> registry) {
        return new World(POOL, ProvisioningPolicy.defaults(), r -> r, registry, m -> m);
    }

    /** A registry that counts the port allocations asked of it. */
    private static UnaryOperator<PortRegistry> countingAllocations(AtomicInteger allocations) {
        return registry -> new Decorators.Registry(registry) {
            @Override
            public Grant grant(TenantId tenant, Email email, boolean revive, int maxActive) {
                allocations.incrementAndGet();
                return registry.grant(tenant, email, revive, maxActive);
            }
        };
    }

    @Test
    void givenDeprovisionedTenant_whenProvisionedWithoutRevive_thenRefusedWithoutAskingForAPort() {
        AtomicInteger allocations = new AtomicInteger();
        World world = withRegistry(countingAllocations(allocations));
        world.deprovision(1);

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome).isInstanceOfSatisfying(ProvisionOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(ProvisionOutcome.Reason.DEPROVISIONED);
            assertThat(rejected.detail())
                    .isEqualTo("tenant tenant-1 was deprovisioned; provision it with revive to bring it back");
        });
        assertThat(allocations).hasValue(0);
    }

    @Test
    void givenProvisionedTenant_whenProvisionedAgain_thenItResumesWithoutAskingForAPort() {
        AtomicInteger allocations = new AtomicInteger();
        World world = withRegistry(countingAllocations(allocations));
        world.provision(1);

        ProvisionOutcome again = world.provision(1);

        assertThat(again).isInstanceOf(ProvisionOutcome.AlreadyProvisioned.class);
        assertThat(allocations).as("the first provision only").hasValue(1);
    }

    @Test
    void givenAnotherEmailWonTheRace_whenTheRegistryAnswers_thenRefusedAsAMismatch() {
        AtomicBoolean firstLook = new AtomicBoolean(true);
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Optional<Lease> find(TenantId tenant) {
                // The first look happened before the other signup landed.
                return firstLook.getAndSet(false) ? Optional.empty() : registry.find(tenant);
            }
        });
        world.registry.allocate(aTenant(1), Email.of("someone-else@example.com"), false);

        ProvisionOutcome outcome = world.provision.provision(ProvisionCommand.of(aTenant(1), anEmail(1)));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(ProvisionOutcome.Reason.EMAIL_MISMATCH));
        assertThat(world.runtime.all()).isEmpty();
    }

    @Test
    void givenProvisionRecordingATaskAfterTheDeprovisionLooked_whenRetired_thenThatTaskIsStoppedToo() {
        AtomicBoolean raced = new AtomicBoolean();
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Optional<Lease> retire(TenantId tenant, Optional<Duration> forgetAfter) {
                if (raced.compareAndSet(false, true)) {
                    // A provision of the same tenant, running beside us, starts its container right now.
                    Lease lease = registry.find(tenant).orElseThrow();
                    TaskId task = ((dev.tenantprovisioner.domain.spi.StartOutcome.Started)
                                    UseCaseEdgesTest.world.runtime.start(
                                            new dev.tenantprovisioner.domain.spi.ContainerSpec(
                                                    tenant, lease.requirePort(), lease.startToken())))
                            .task();
                    registry.save(lease.started(task, java.time.Instant.EPOCH));
                }
                return registry.retire(tenant, forgetAfter);
            }
        });
        UseCaseEdgesTest.world = world;
        world.registry.allocate(aTenant(1), anEmail(1), false); // allocated, no task yet

        world.deprovision(1);

        assertThat(world.runtime.all())
                .singleElement()
                .satisfies(container -> assertThat(container.phase())
                        .isEqualTo(dev.tenantprovisioner.domain.spi.ContainerStatus.Phase.STOPPED));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
    }

    private static World world;

    @Test
    void givenRegistryThatLosesTheTombstone_whenDeprovisioning_thenTheErrorSaysSo() {
        World world = withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Optional<Lease> find(TenantId tenant) {
                return Optional.empty();
            }
        });

        assertThatThrownBy(() -> world.deprovision(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no tombstone for tenant-1 after retire");
    }

    @Test
    void givenTwoPortsHeldForTwoTasks_whenOneTaskReportsStopped_thenOnlyItsPortIsFreed() {
        World world = new World(POOL, ProvisioningPolicy.defaults(), runtime -> new Decorators.Runtime(runtime) {
            @Override
            public void stop(TaskId task, TenantId tenant, StopReason reason) {
                // asynchronous: the task stops later
            }
        });
        TaskId first = statusOf(world.provision(1)).lease().task().orElseThrow();
        TaskId second = statusOf(world.provision(2)).lease().task().orElseThrow();
        world.deprovision(1);
        world.deprovision(2);
        world.runtime.crash(second);

        ObserveTask.Observation seen = world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(2), second));

        assertThat(seen.portFreed()).isTrue();
        assertThat(world.registry.heldPorts(10)).singleElement().satisfies(held -> {
            assertThat(held.task()).contains(first);
            assertThat(held.port()).isEqualTo(HostPort.of(3000));
        });
    }

    @Test
    void givenLeasesInEveryState_whenSwept_thenOnlyThoseNeedingAttentionAreReadAndTheStalledResumed() {
        World world = new World();
        world.provision(1); // running, email sent: nothing to do
        world.runtime.startPending(true);
        world.provision(2); // container started, not running yet
        world.registry.allocate(aTenant(3), anEmail(3), false); // abandoned after allocation
        world.clock.advance(Duration.ofMinutes(10));
        world.runtime.startPending(false);
        world.runtime.markRunning(world.lease(2).task().orElseThrow());

        ResumeStalledTenants.Report report = world.sweep().resume(SWEEP);

        // The finished tenant is not even read: the sweep walks only the leases that need attention.
        assertThat(report.examined()).isEqualTo(2);
        assertThat(report.resumed()).isEqualTo(2);
        assertThat(world.lease(2).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(3).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.mailer.delivered()).hasSize(3);
    }

    @Test
    void givenEmailSendWhoseSenderDied_whenSweptAfterTheClaimTimedOut_thenSentOnce() {
        World world = new World(POOL, ProvisioningPolicy.defaults().withNotificationsElsewhere());
        world.provision(1);
        Lease running = world.lease(1);
        world.registry.save(running.withNotification(NotificationState.SENDING, Optional.of(world.clock.instant())));
        world.clock.advance(Duration.ofMinutes(10));
        ResumeStalledTenants sweep = new ResumeStalledTenants(
                world.registry, world.runtime, world.mailer, ProvisioningPolicy.defaults(), world.clock);

        ResumeStalledTenants.Report report = sweep.resume(SWEEP);

        assertThat(report.resumed()).isOne();
        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenEmailTheProviderRefusedForGood_whenSwept_thenLeftAlone() {
        World world = new World();
        world.mailer.failNextSend(new InfrastructureException("invalid address", false));
        world.provision(1);
        world.clock.advance(Duration.ofMinutes(10));

        ResumeStalledTenants.Report report = world.sweep().resume(SWEEP);

        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.FAILED);
        assertThat(report.resumed()).isZero();
        assertThat(world.mailer.attempts()).isOne();
    }

    @Test
    void givenHeldPortWhoseTaskHasEnded_whenSwept_thenFreedAndCounted() {
        World world = new World(POOL, ProvisioningPolicy.defaults(), runtime -> new Decorators.Runtime(runtime) {
            @Override
            public void stop(TaskId task, TenantId tenant, StopReason reason) {
                // asynchronous
            }
        });
        TaskId task = statusOf(world.provision(1)).lease().task().orElseThrow();
        world.deprovision(1);
        world.runtime.crash(task);

        ResumeStalledTenants.Report report = world.sweep().resume(SWEEP);

        assertThat(report.portsFreed()).isOne();
        assertThat(world.registry.heldPorts(10)).isEmpty();
    }

    @Test
    void givenHeldPortFreedByAnotherSweepMeanwhile_whenTheGracePasses_thenNotCountedTwice() {
        World world = new World(
                POOL,
                ProvisioningPolicy.defaults(),
                r -> new Decorators.Runtime(r) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        // asynchronous, and never done
                    }
                },
                registry -> new Decorators.Registry(registry) {
                    @Override
                    public boolean freeHeldPort(HostPort port, Optional<TaskId> task) {
                        registry.freeHeldPort(port, task); // the other sweep
                        return registry.freeHeldPort(port, task);
                    }
                },
                m -> m);
        world.provision(1);
        world.deprovision(1);
        world.clock.advance(Duration.ofMinutes(11));

        ResumeStalledTenants.Report report = world.sweep().resume(SWEEP);

        assertThat(report.portsFreed()).isZero();
        assertThat(world.registry.heldPorts(10)).isEmpty();
    }

    @Test
    void givenRuntimeDownWhileAHeldPortIsChecked_whenSwept_thenCountedAsStillFailing() {
        World world = new World(POOL, ProvisioningPolicy.defaults(), runtime -> new Decorators.Runtime(runtime) {
            @Override
            public void stop(TaskId task, TenantId tenant, StopReason reason) {
                // asynchronous
            }
        });
        world.provision(1);
        world.deprovision(1);
        world.runtime.failNextCall(new InfrastructureException("ECS 503", true));

        ResumeStalledTenants.Report report = world.sweep().resume(SWEEP);

        assertThat(report.stillFailing()).isOne();
        assertThat(world.registry.heldPorts(10)).hasSize(1);
    }

    @Test
    void givenSweepOfOne_whenMade_thenAcceptedAndItLooksAtOneLease() {
        World world = new World();
        world.registry.allocate(aTenant(1), anEmail(1), false);
        world.registry.allocate(aTenant(2), anEmail(2), false);

        assertThat(world.sweep().resume(new Sweep(Duration.ZERO, 1)).examined()).isOne();
    }

    @Test
    void givenTenants_whenListed_thenNewestFirstTiesByIdDescendingPageByPageAndEachWithItsLink() {
        World world = new World();
        world.provision(2);
        world.provision(1);
        world.clock.advance(Duration.ofSeconds(1));
        world.provision(3);
        world.deprovision(2);
        ListTenants list = new ListTenants(world.registry, ProvisioningPolicy.defaults());

        ListTenants.Page first = list.list(new ListTenants.Query(2));
        ListTenants.Page second = list.list(new ListTenants.Query(2, first.next(), Optional.empty()));
        ListTenants.Page deprovisioned =
                list.list(new ListTenants.Query(10, Optional.empty(), Optional.of(TenantState.DEPROVISIONED)));

        assertThat(first.tenants())
                .extracting(status -> status.lease().tenant().value())
                .containsExactly("tenant-3", "tenant-2");
        assertThat(first.next()).isPresent();
        assertThat(second.tenants())
                .extracting(status -> status.lease().tenant().value())
                .containsExactly("tenant-1");
        assertThat(second.next()).isEmpty();
        assertThat(second.tenants())
                .allSatisfy(status -> assertThat(status.accessUrl()).isPresent());
        assertThat(deprovisioned.tenants())
                .extracting(status -> status.lease().tenant().value())
                .containsExactly("tenant-2");
    }

    @Test
    void givenListSizes_whenAsked_thenOneToAThousand() {
        assertThat(new ListTenants.Query(1).limit()).isOne();
        assertThat(new ListTenants.Query(1000).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> new ListTenants.Query(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListTenants.Query(1001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenPolicyDurations_whenNotPositive_thenEachIsRefusedByName() {
        ProvisioningPolicy policy = ProvisioningPolicy.defaults();

        assertThatThrownBy(() -> new ProvisioningPolicy(
                        policy.notifyWhen(),
                        policy.urlFormat(),
                        policy.publicHost(),
                        Duration.ZERO,
                        policy.startDeadline(),
                        policy.portHoldGrace(),
                        policy.readyDeadline(),
                        true))
                .hasMessageContaining("notificationClaimTimeout");
        assertThatThrownBy(() -> policy.withReadyDeadline(Duration.ZERO)).hasMessageContaining("readyDeadline");
        assertThatThrownBy(() -> policy.withStartDeadline(Duration.ofSeconds(-1)))
                .hasMessageContaining("startDeadline");
        assertThatThrownBy(() -> policy.withPortHoldGrace(Duration.ZERO)).hasMessageContaining("portHoldGrace");
        assertThat(policy.withUrlFormat(new AccessUrlFormat("nip.io"))
                        .urlFormat()
                        .baseDomain())
                .isEqualTo("nip.io");
    }

    @Test
    void givenLeaseWithoutAHost_whenAskedForItsLink_thenNoneUntilTheRuntimeOrTheConfigurationNamesOne() {
        Lease lease = Lease.granted(
                aTenant(1), anEmail(1), HostPort.of(3000), java.util.Optional.empty(), java.time.Instant.EPOCH);
        ProvisioningPolicy policy = ProvisioningPolicy.defaults();

        assertThat(policy.canLink(lease)).isFalse();
        assertThat(policy.accessUrl(lease)).isEmpty();
        assertThat(policy.canLink(lease.withHost(Ipv4Address.of("10.0.0.1")))).isTrue();
        assertThat(policy.withPublicHost(Ipv4Address.of("10.0.0.2")).canLink(lease))
                .isTrue();
        Lease tombstone = Lease.tombstone(aTenant(2), java.time.Instant.EPOCH);
        assertThat(policy.withPublicHost(Ipv4Address.of("10.0.0.2")).canLink(tombstone))
                .isFalse();
    }

    @Test
    void givenOutcomes_whenMapped_thenEachGoesToItsOwnCase() {
        World world = new World(PortPool.range(3000, 3000));
        List<String> seen = new ArrayList<>();
        for (ProvisionOutcome outcome : List.of(
                world.provision(1),
                world.provision(1),
                world.provision(2),
                world.provision.provision(ProvisionCommand.of(aTenant(1), Email.of("x@example.com"))))) {
            seen.add(outcome.map(
                    p -> "provisioned", a -> "already", r -> "rejected", n -> "no-capacity", l -> "limit-reached"));
        }
        assertThat(seen).containsExactly("provisioned", "already", "no-capacity", "rejected");
        String limit = new ProvisionOutcome.LimitReached(aTenant(1), ProvisionOutcome.Limit.ACTIVE_TENANTS, "full")
                .map(p -> "provisioned", a -> "already", r -> "rejected", n -> "no-capacity", l -> "limit-reached");
        assertThat(limit).isEqualTo("limit-reached");

        DeprovisionOutcome first = world.deprovision.deprovision(new DeprovisionCommand(aTenant(1)));
        DeprovisionOutcome again = world.deprovision.deprovision(new DeprovisionCommand(aTenant(1)));
        assertThat(first.already()).isFalse();
        assertThat(again.already()).isTrue();
        Set<TenantState> states = new HashSet<>(
                List.of(first.status().lease().state(), again.status().lease().state()));
        assertThat(states).containsExactly(TenantState.DEPROVISIONED);
    }
}
