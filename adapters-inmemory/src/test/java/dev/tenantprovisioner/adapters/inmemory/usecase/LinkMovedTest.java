package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.Step;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.Readiness;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants.Sweep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restart that lands the tenant on another host changes its sslip.io link with the host's address: the tenant gets
 * one email with the new link (an idempotency key per address), and its status shows the new link; where the link
 * names no host (a fixed public host, an own domain), nothing is sent.
 */
class LinkMovedTest {

    private static final Sweep SWEEP = new Sweep(Duration.ofMinutes(5), 100);
    private static final Ipv4Address ELSEWHERE = Ipv4Address.of("203.0.113.9");

    /** The tenant's container crashes on its first host, and its restart is placed on {@link #ELSEWHERE}. */
    private static void restartElsewhere(World world) {
        TaskId task = world.lease(1).task().orElseThrow();
        world.runtime.crash(task, "Host EC2 (instance i-0abc123) terminated.");
        world.observe.taskChanged(new ObserveTask.TaskChange(aTenant(1), task));
        world.runtime.placeOn(ELSEWHERE);
        world.clock.advance(Duration.ofSeconds(5));
        world.sweep().resume(SWEEP);
    }

    @Test
    void givenATenantRestartedOnAnotherHost_whenItRunsThere_thenOneEmailWithTheNewLinkAndItsStatusShowsIt() {
        World world = new World();
        statusOf(world.provision(1));

        restartElsewhere(world);
        world.describe(1);
        world.sweep().resume(SWEEP);

        assertThat(world.mailer.delivered())
                .extracting(WelcomeEmail::idempotencyKey)
                .containsExactly("welcome-tenant-1-g1", "link-tenant-1-g1-203-0-113-9");
        assertThat(world.mailer.delivered().get(1).accessUrl())
                .hasToString("http://tenant-1.203-0-113-9.sslip.io:3000");
        assertThat(world.mailer.delivered().get(1).to()).isEqualTo(World.anEmail(1));
        assertThat(world.describe(1).accessUrl())
                .hasValueSatisfying(link -> assertThat(link).hasToString("http://tenant-1.203-0-113-9.sslip.io:3000"));
        Lease lease = world.lease(1);
        assertThat(lease.announcedHost()).contains(ELSEWHERE);
        assertThat(lease.needsAttention()).isFalse();
        assertThat(lease.timeline())
                .filteredOn(step -> step.name().equals("new link emailed"))
                .singleElement()
                .extracting(Step::detail)
                .isEqualTo(java.util.Optional.of("http://tenant-1.203-0-113-9.sslip.io:3000"));
    }

    @Test
    void givenTheWelcomeEmail_whenSent_thenTheLeaseRemembersTheHostItsLinkNamed() {
        World world = new World();

        statusOf(world.provision(1));

        assertThat(world.lease(1).announcedHost()).contains(Ipv4Address.of("127.0.0.1"));
    }

    @Test
    void givenTheMailProviderDownWhenTheNewLinkIsTold_whenTheSweepComesBack_thenItIsSentOnce() {
        World world = new World();
        statusOf(world.provision(1));
        world.mailer.failNextSend(new dev.tenantprovisioner.domain.spi.InfrastructureException("rate limited", true));

        restartElsewhere(world);
        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(world.lease(1).needsAttention()).isTrue();
        world.clock.advance(Duration.ofMinutes(6));
        world.sweep().resume(SWEEP);

        assertThat(world.mailer.delivered())
                .extracting(WelcomeEmail::idempotencyKey)
                .containsExactly("welcome-tenant-1-g1", "link-tenant-1-g1-203-0-113-9");
    }

    @Test
    void givenANewLinkNotToldYet_whenTheTenantCrashesAndComesBackOnTheSameNewHost_thenItIsStillTold() {
        ReadinessTest.ScriptedProbe probe = new ReadinessTest.ScriptedProbe();
        probe.answer = new Readiness.Ready(200);
        World world = World.withProbe(ProvisioningPolicy.defaults(), probe);
        statusOf(world.provision(1));
        probe.answer = new Readiness.NotReady("connection refused");
        restartElsewhere(world);

        // It crashes again before its new link answered, and lands on the same new host.
        restartElsewhere(world);
        probe.answer = new Readiness.Ready(200);
        world.clock.advance(Duration.ofMinutes(6));
        world.sweep().resume(SWEEP);

        assertThat(world.lease(1).announcedHost()).contains(ELSEWHERE);
        assertThat(world.mailer.delivered())
                .extracting(WelcomeEmail::idempotencyKey)
                .containsExactly("welcome-tenant-1-g1", "link-tenant-1-g1-203-0-113-9");
    }

    @Test
    void givenAFixedPublicHost_whenRestartedOnAnotherHost_thenTheLinkIsTheSameAndNothingIsSent() {
        World world = new World(
                PortPool.range(3000, 3099), ProvisioningPolicy.defaults().withPublicHost(Ipv4Address.of("54.1.2.3")));
        statusOf(world.provision(1));

        restartElsewhere(world);

        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(world.lease(1).announcedHost()).contains(ELSEWHERE);
        assertThat(world.lease(1).needsAttention()).isFalse();
    }

    @Test
    void givenAnOwnDomain_whenRestartedOnAnotherHost_thenTheLinkIsTheSameAndNothingIsSent() {
        World world = new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults()
                        .withUrlFormat(AccessUrlFormat.sslip()
                                .onTenantDomain("tenants.example.com")
                                .behind(AccessUrlFormat.Proxy.https())));
        statusOf(world.provision(1));

        restartElsewhere(world);

        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(world.describe(1).accessUrl())
                .hasValueSatisfying(link -> assertThat(link).hasToString("https://tenant-1.tenants.example.com"));
    }

    @Test
    void givenTheNewLinkDoesNotAnswerYet_whenRestartedElsewhere_thenTheEmailWaitsUntilItDoes() {
        ReadinessTest.ScriptedProbe probe = new ReadinessTest.ScriptedProbe();
        probe.answer = new Readiness.Ready(200);
        World world = World.withProbe(ProvisioningPolicy.defaults(), probe);
        statusOf(world.provision(1));
        probe.answer = new Readiness.NotReady("connection refused");

        restartElsewhere(world);
        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(world.lease(1).needsAttention())
                .as("the new link is still owed")
                .isTrue();

        probe.answer = new Readiness.Ready(200);
        world.clock.advance(Duration.ofMinutes(6));
        world.sweep().resume(SWEEP);

        assertThat(world.mailer.delivered())
                .extracting(WelcomeEmail::idempotencyKey)
                .containsExactly("welcome-tenant-1-g1", "link-tenant-1-g1-203-0-113-9");
    }

    @Test
    void givenTheMailProviderRefusesTheNewLink_whenTold_thenRecordedInTheTimelineAndNotAskedAgain() {
        World world = new World();
        statusOf(world.provision(1));
        world.mailer.failNextSend(
                new dev.tenantprovisioner.domain.spi.InfrastructureException("validation_error", false));

        restartElsewhere(world);
        world.clock.advance(Duration.ofMinutes(6));
        world.sweep().resume(SWEEP);

        assertThat(world.mailer.delivered()).hasSize(1);
        assertThat(world.mailer.attempts()).isEqualTo(2);
        assertThat(world.lease(1).needsAttention()).isFalse();
        assertThat(world.lease(1).timeline()).extracting(Step::name).contains("new link email refused");
    }
}
