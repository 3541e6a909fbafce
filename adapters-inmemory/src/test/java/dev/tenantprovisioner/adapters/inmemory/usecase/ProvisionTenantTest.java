package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
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
        assertThat(status.accessUrl()).hasValueSatisfying(
                url -> assertThat(url).hasToString("http://tenant-1.127.0.0.1.sslip.io:3000"));
        assertThat(world.runtime.live()).singleElement().satisfies(c -> assertThat(c.port()).isEqualTo(HostPort.of(3000)));
        assertThat(world.mailer.delivered()).singleElement()
                .satisfies(mail -> assertThat(mail.accessUrl()).isEqualTo(status.accessUrl().get()));
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

        assertThat(outcome).isInstanceOfSatisfying(ProvisionOutcome.NoCapacity.class,
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
        assertThat(first.lease().failure()).hasValueSatisfying(f -> assertThat(f).contains("resend answered 503"));
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
        assertThat(status.lease().failure()).hasValueSatisfying(f -> assertThat(f).contains("validation_error"));
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
    void givenNotifyWhenStartedWithPublicHost_whenContainerPending_thenEmailGoesOutAtOnce() {
        ProvisioningPolicy policy = ProvisioningPolicy.defaults().withNotifyWhen(NotificationPolicy.WHEN_STARTED)
                .withPublicHost(Ipv4Address.of("54.123.45.6"));
        World world = new World(PortPool.range(3000, 3099), policy);
        world.runtime.startPending(true);

        TenantStatus status = statusOf(world.provision(1));

        assertThat(status.lease().state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered()).singleElement().extracting(WelcomeEmail::accessUrl)
                .hasToString("http://tenant-1.54.123.45.6.sslip.io:3000");
    }

    @Test
    void givenClaimedSendWhoseSenderDied_whenClaimTimesOut_thenResentWithSameKey() {
        World world = new World();
        world.runtime.startPending(true);
        TenantStatus pending = statusOf(world.provision(1));
        world.runtime.markRunning(pending.lease().task().orElseThrow());
        // A caller claims the send and dies before sending.
        var running = world.registry.save(world.lease(1).withState(TenantState.RUNNING)
                .withHost(Ipv4Address.of("127.0.0.1")));
        world.registry.save(running.withNotification(NotificationState.SENDING, java.util.Optional.of(world.clock.instant())));

        world.describe(1);
        assertThat(world.mailer.attempts()).isZero();

        world.clock.advance(Duration.ofMinutes(3));
        TenantStatus status = world.describe(1);

        assertThat(status.lease().notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.delivered()).singleElement().extracting(WelcomeEmail::idempotencyKey)
                .isEqualTo("welcome-tenant-1-g1");
    }

    @Test
    void givenTenantWithOtherEmail_whenProvisioned_thenRejectedAndNothingChanges() {
        World world = new World();
        world.provision(1);

        ProvisionOutcome outcome = world.provision.provision(ProvisionCommand.of(aTenant(1), anEmail(2)));

        assertThat(outcome).isInstanceOfSatisfying(ProvisionOutcome.Rejected.class,
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
