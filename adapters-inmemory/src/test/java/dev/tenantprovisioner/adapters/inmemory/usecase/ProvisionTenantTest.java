package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProvisionTenantTest {

    static TenantStatus statusOf(ProvisionOutcome outcome) {
        if (outcome instanceof ProvisionOutcome.Provisioned p) {
            return p.status();
        }
        if (outcome instanceof ProvisionOutcome.AlreadyProvisioned a) {
            return a.status();
        }
        throw new AssertionError("expected a provisioned tenant, got " + outcome);
    }

    @Test
    void givenNewTenant_whenProvisioned_thenRunningNotifiedWithSslipUrl() {
        World world = new World();

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome).isInstanceOf(ProvisionOutcome.Provisioned.class);
        TenantStatus status = statusOf(outcome);
        assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(status.accessUrl())
                .hasValueSatisfying(url -> assertThat(url).hasToString("http://tenant-1.127-0-0-1.sslip.io:3000"));
        assertThat(world.runtime.live())
                .singleElement()
                .satisfies(c -> assertThat(c.port()).isEqualTo(HostPort.of(3000)));
        assertThat(world.mailer.delivered())
                .singleElement()
                .satisfies(mail -> assertThat(mail.accessUrl())
                        .isEqualTo(status.accessUrl().get()));
    }

    @Test
    void givenProvisionedTenant_whenProvisionedAgain_thenSamePortSameUrlNoSecondContainerOrEmail() {
        World world = new World();
        TenantStatus first = statusOf(world.provision(1));

        ProvisionOutcome again = world.provision(1);

        assertThat(again).isInstanceOf(ProvisionOutcome.AlreadyProvisioned.class);
        assertThat(statusOf(again).lease().port()).isEqualTo(first.lease().port());
        assertThat(statusOf(again).accessUrl()).isEqualTo(first.accessUrl());
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenRuntimeWithoutCapacity_whenProvisioning_thenNoCapacityAndPortReleased() {
        World world = new World(PortPool.range(3000, 3000));
        world.runtime.withCapacity(0);

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.NoCapacity.class,
                        n -> assertThat(n.reason()).contains("RESOURCE:MEMORY"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.lease(1).port()).isEmpty();
        assertThat(world.mailer.attempts()).isZero();
        world.runtime.withCapacity(10);
        assertThat(statusOf(world.provision(2)).lease().port()).contains(HostPort.of(3000));
    }

    @Test
    void givenNoCapacityEarlier_whenRetriedWithRoom_thenProvisionedInNextGeneration() {
        World world = new World();
        world.runtime.withCapacity(0);
        world.provision(1);
        world.runtime.withCapacity(10);

        ProvisionOutcome retry = world.provision(1);

        assertThat(retry).isInstanceOf(ProvisionOutcome.Provisioned.class);
        assertThat(statusOf(retry).lease().generation()).isEqualTo(2);
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenExhaustedPool_whenProvisioning_thenNoCapacityAndNothingHeld() {
        World world = new World(PortPool.range(3000, 3001));
        world.provision(1);
        world.provision(2);

        ProvisionOutcome outcome = world.provision(3);

        assertThat(outcome).isInstanceOf(ProvisionOutcome.NoCapacity.class);
        assertThat(world.registry.find(aTenant(3))).isEmpty();
        assertThat(world.runtime.all()).hasSize(2);
    }

    @Test
    void givenMailerDown_whenProvisioning_thenRunningWithNotificationPendingAndRetrySendsOnce() {
        World world = new World();
        world.mailer.failNextSend(new InfrastructureException("resend answered 503", true));

        TenantStatus first = statusOf(world.provision(1));

        assertThat(first.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(first.lease().notification()).isEqualTo(NotificationState.PENDING);
        assertThat(first.lease().failure())
                .hasValueSatisfying(f -> assertThat(f).contains("resend answered 503"));
        assertThat(world.mailer.delivered()).isEmpty();

        TenantStatus retried = statusOf(world.provision(1));

        assertThat(retried.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(retried.lease().failure()).isEmpty();
        assertThat(world.mailer.delivered()).hasSize(1);
        world.provision(1);
        assertThat(world.mailer.attempts()).isEqualTo(2);
    }

    @Test
    void givenMailerRefusesAddress_whenProvisioning_thenNotificationFailedAndNotRetried() {
        World world = new World();
        world.mailer.failNextSend(new InfrastructureException("validation_error: address refused", false));

        TenantStatus status = statusOf(world.provision(1));
        world.provision(1);

        assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.FAILED);
        assertThat(status.lease().failure())
                .hasValueSatisfying(f -> assertThat(f).contains("validation_error"));
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenRuntimeFailsOnStart_whenRetried_thenResumesOnSamePortWithOneContainer() {
        World world = new World();
        world.runtime.failNextCall(new InfrastructureException("ECS throttled", true));

        assertThatThrownBy(() -> world.provision(1)).isInstanceOf(InfrastructureException.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);

        TenantStatus status = statusOf(world.provision(1));

        assertThat(status.lease().port()).contains(HostPort.of(3000));
        assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(world.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenContainerStillPending_whenProvisioned_thenNoEmailUntilRunning() {
        World world = new World();
        world.runtime.startPending(true);

        TenantStatus pending = statusOf(world.provision(1));

        assertThat(pending.lease().state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(pending.accessUrl()).isEmpty();
        assertThat(world.mailer.attempts()).isZero();

        world.runtime.markRunning(pending.lease().task().orElseThrow());
        TenantStatus running = world.describe(1);

        assertThat(running.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(running.lease().notification()).isEqualTo(NotificationState.SENT);
        world.describe(1);
        world.provision(1);
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenCapacityProviderWithoutRoom_whenTheTaskStopsForCapacity_thenTenantFailsWithTheReasonAndPortIsFree() {
        World world = new World(PortPool.range(3000, 3000));
        world.runtime.withCapacity(0).queueWhenFull(true);
        TenantStatus accepted = statusOf(world.provision(1));
        TaskId task = accepted.lease().task().orElseThrow();
        assertThat(accepted.lease().state()).isEqualTo(TenantState.CONTAINER_STARTED);

        world.runtime.runOutOfCapacity(task, "Capacity is unavailable at this time");
        TenantStatus seen = world.describe(1);

        assertThat(seen.lease().state()).isEqualTo(TenantState.FAILED);
        assertThat(seen.lease().failure()).contains("no capacity: Capacity is unavailable at this time");
        assertThat(seen.lease().port()).isEmpty();
        assertThat(world.registry.heldPorts(10))
                .as("the task never ran, so nothing holds the port")
                .isEmpty();
        assertThat(world.mailer.attempts()).isZero();
        world.runtime.withCapacity(10);
        TenantStatus retried = statusOf(world.provision(1));
        assertThat(retried.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(retried.lease().port()).contains(HostPort.of(3000));
        assertThat(retried.lease().generation()).isEqualTo(2);
    }

    @Test
    void givenTaskWaitingForCapacity_whenPastTheStartDeadline_thenStoppedFailedAndPortHeldUntilTheSweepSeesItGone() {
        World world = new World(
                PortPool.range(3000, 3001), ProvisioningPolicy.defaults().withStartDeadline(Duration.ofMinutes(10)));
        world.runtime.withCapacity(0).queueWhenFull(true);
        TaskId task = statusOf(world.provision(1)).lease().task().orElseThrow();
        world.clock.advance(Duration.ofMinutes(9));
        assertThat(world.describe(1).lease().state()).isEqualTo(TenantState.CONTAINER_STARTED);

        world.clock.advance(Duration.ofMinutes(2));
        TenantStatus seen = world.describe(1);

        assertThat(seen.lease().state()).isEqualTo(TenantState.FAILED);
        assertThat(seen.lease().failure())
                .contains("no capacity: the task did not run within 10 min (last status PROVISIONING)");
        assertThat(world.runtime.live()).as("the waiting task was stopped").isEmpty();
        assertThat(world.registry.heldPorts(10))
                .singleElement()
                .satisfies(held -> assertThat(held.task()).contains(task));
        assertThat(statusOf(world.provision(2)).lease().port()).contains(HostPort.of(3001));
        world.clock.advance(Duration.ofMinutes(10));
        world.sweep().resume(new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 100));
        assertThat(world.registry.heldPorts(10)).isEmpty();
    }

    @Test
    void givenPortTakenBySomethingElse_whenProvisioning_thenTenantMovesToTheNextPortAndLaterSignupsAreNotStuck() {
        World world = new World(PortPool.range(3000, 3009));
        world.runtime.start(new ContainerSpec(TenantId.of("squatter"), HostPort.of(3000), "foreign"));

        TenantStatus first = statusOf(world.provision(1));

        assertThat(first.lease().port()).contains(HostPort.of(3001));
        assertThat(first.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.registry.heldPorts(10))
                .singleElement()
                .satisfies(held -> assertThat(held.port()).isEqualTo(HostPort.of(3000)));
        assertThat(statusOf(world.provision(2)).lease().port()).contains(HostPort.of(3002));
        assertThat(world.mailer.delivered()).hasSize(2);
    }

    @Test
    void givenEveryPortTriedIsInUse_whenProvisioning_thenNoCapacityAndEveryTriedPortHeld() {
        World world = new World(PortPool.range(3000, 3009));
        for (int port = 3000; port < 3000 + 3; port++) {
            world.runtime.start(new ContainerSpec(TenantId.of("squatter"), HostPort.of(port), "foreign-" + port));
        }

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.NoCapacity.class,
                        n -> assertThat(n.reason()).contains("in use"));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.registry.heldPorts(10)).hasSize(3);
        assertThat(statusOf(world.provision(2)).lease().port()).contains(HostPort.of(3003));
    }

    @Test
    void givenNotificationsLeftToAnotherProcess_whenProvisioned_thenRunningWithEmailPendingUntilThatProcessSendsIt() {
        World api = new World(
                PortPool.range(3000, 3099), ProvisioningPolicy.defaults().withNotificationsElsewhere());

        TenantStatus status = statusOf(api.provision(1));

        assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.PENDING);
        assertThat(api.mailer.attempts()).isZero();
        assertThat(api.describe(1).lease().notification())
                .as("a status poll does not send it either")
                .isEqualTo(NotificationState.PENDING);
        ObserveTask events =
                new ObserveTask(api.registry, api.runtime, api.mailer, ProvisioningPolicy.defaults(), api.clock);
        events.taskChanged(new ObserveTask.TaskChange(
                World.aTenant(1), status.lease().task().orElseThrow()));
        assertThat(api.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(api.mailer.delivered()).hasSize(1);
    }

    @Test
    void givenNotifyWhenStartedWithPublicHost_whenContainerPending_thenEmailGoesOutAtOnce() {
        ProvisioningPolicy policy = ProvisioningPolicy.defaults()
                .withNotifyWhen(NotificationPolicy.WHEN_STARTED)
                .withPublicHost(Ipv4Address.of("54.123.45.6"));
        World world = new World(PortPool.range(3000, 3099), policy);
        world.runtime.startPending(true);

        TenantStatus status = statusOf(world.provision(1));

        assertThat(status.lease().state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered())
                .singleElement()
                .extracting(WelcomeEmail::accessUrl)
                .hasToString("http://tenant-1.54-123-45-6.sslip.io:3000");
    }

    @Test
    void givenClaimedSendWhoseSenderDied_whenClaimTimesOut_thenResentWithSameKey() {
        World world = new World();
        world.runtime.startPending(true);
        TenantStatus pending = statusOf(world.provision(1));
        world.runtime.markRunning(pending.lease().task().orElseThrow());
        // A caller claims the send and dies before sending.
        var running = world.registry.save(
                world.lease(1).withState(TenantState.RUNNING).withHost(Ipv4Address.of("127.0.0.1")));
        world.registry.save(
                running.withNotification(NotificationState.SENDING, java.util.Optional.of(world.clock.instant())));

        world.describe(1);
        assertThat(world.mailer.attempts()).isZero();

        world.clock.advance(Duration.ofMinutes(3));
        TenantStatus status = world.describe(1);

        assertThat(status.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered())
                .singleElement()
                .extracting(WelcomeEmail::idempotencyKey)
                .isEqualTo("welcome-tenant-1-g1");
    }

    @Test
    void givenTenantWithOtherEmail_whenProvisioned_thenRejectedAndNothingChanges() {
        World world = new World();
        world.provision(1);

        ProvisionOutcome outcome = world.provision.provision(ProvisionCommand.of(aTenant(1), anEmail(2)));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ProvisionOutcome.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(ProvisionOutcome.Reason.EMAIL_MISMATCH));
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenContainerCrashed_whenProvisionedAgain_thenRestartedOnSamePortWithoutSecondEmail() {
        World world = new World();
        TenantStatus first = statusOf(world.provision(1));
        world.runtime.crash(first.lease().task().orElseThrow());

        assertThat(world.describe(1).lease().state()).isEqualTo(TenantState.STOPPED);
        TenantStatus restarted = statusOf(world.provision(1));

        assertThat(restarted.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(restarted.lease().port()).isEqualTo(first.lease().port());
        assertThat(restarted.lease().task()).isNotEqualTo(first.lease().task());
        assertThat(world.runtime.live()).hasSize(1);
        assertThat(world.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenCrashNoticedByTheProvisionItself_whenProvisionedAgain_thenRestartedAndSeenRunningInOneCall() {
        World world = new World();
        TenantStatus first = statusOf(world.provision(1));
        world.runtime.crash(first.lease().task().orElseThrow());

        TenantStatus restarted = statusOf(world.provision(1));

        assertThat(restarted.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(restarted.lease().restarts()).isEqualTo(1);
        assertThat(world.runtime.live()).hasSize(1);
    }
}
