package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.ProvisionTenantTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Readiness;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Ready means the link answers: the welcome email waits for the tenant's link, with a deadline. */
class ReadinessTest {

    private static final ProvisioningPolicy BEHIND_PROXY =
            ProvisioningPolicy.defaults().withUrlFormat(AccessUrlFormat.sslip().behind(AccessUrlFormat.Proxy.https()));
    private static final String LINK = "https://tenant-1.127-0-0-1.sslip.io";

    /** A link probe that answers what the test says, and remembers what it was asked. */
    static final class ScriptedProbe implements LinkProbe {
        volatile Readiness answer = new Readiness.NotReady("connection refused");
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public Readiness probe(AccessUrl link, Optional<Ipv4Address> address) {
            asked.add(link + " at " + address.map(Ipv4Address::value).orElse("its DNS address"));
            return answer;
        }
    }

    private final ScriptedProbe probe = new ScriptedProbe();

    @Test
    void givenALinkThatDoesNotAnswerYet_whenTheTenantRuns_thenNoEmailAndTheLeaseSaysWhatTheLinkAnswered() {
        World world = World.withProbe(BEHIND_PROXY, probe);

        var status = statusOf(world.provision(1));

        assertThat(status.lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(status.lease().notification()).isEqualTo(NotificationState.PENDING);
        assertThat(status.lease().failure()).contains("waiting for " + LINK + " to answer: connection refused");
        assertThat(world.mailer.accepted()).isEmpty();
        assertThat(probe.asked).containsExactly(LINK + " at 127.0.0.1");
    }

    @Test
    void givenTheLinkAnswersLater_whenTheTenantIsLookedAtAgain_thenOneEmailWithThatLinkAndNoReasonLeft() {
        World world = World.withProbe(BEHIND_PROXY, probe);
        world.provision(1);

        probe.answer = new Readiness.Ready(200);
        world.describe(1);
        world.describe(1);
        world.provision(1);

        assertThat(world.mailer.accepted())
                .singleElement()
                .satisfies(mail -> assertThat(mail.accessUrl()).hasToString(LINK));
        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.lease(1).failure()).isEmpty();
        assertThat(probe.asked).as("asked until it answered, never after").hasSize(2);
    }

    @Test
    void givenTheSameAnswerTwice_whenLookedAtAgain_thenTheLeaseIsNotWrittenAgain() {
        World world = World.withProbe(BEHIND_PROXY, probe);
        world.provision(1);
        long version = world.lease(1).version();

        world.describe(1);

        assertThat(world.lease(1).version()).isEqualTo(version);
    }

    @Test
    void
            givenALinkThatNeverAnswers_whenTheDeadlinePasses_thenTheTenantFailsWithTheReasonItsTaskStopsAndItsPortIsHeld() {
        World world = World.withProbe(BEHIND_PROXY, probe);
        world.provision(1);
        probe.answer = new Readiness.NotReady("HTTP 502 from the proxy");

        world.clock.advance(ProvisioningPolicy.DEFAULT_READY_DEADLINE.minusSeconds(1));
        world.describe(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);

        world.clock.advance(Duration.ofSeconds(2));
        world.describe(1);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.lease(1).failure())
                .contains("not ready: " + LINK + " did not answer within 5 min (HTTP 502 from the proxy)");
        assertThat(world.runtime.live())
                .as("the task that never answered is stopped")
                .isEmpty();
        assertThat(world.registry.heldPorts(10))
                .as("held back until the runtime reports the task gone")
                .singleElement()
                .satisfies(held -> assertThat(held.port()).isEqualTo(HostPort.of(3000)));
        assertThat(world.mailer.accepted()).isEmpty();
    }

    @Test
    void givenAShorterDeadline_whenTheLinkDoesNotAnswerWithinIt_thenTheTenantFailsThenAndSaysSo() {
        World world = World.withProbe(BEHIND_PROXY.withReadyDeadline(Duration.ofMinutes(2)), probe);
        world.provision(1);

        world.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        world.describe(1);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
        assertThat(world.lease(1).failure())
                .hasValueSatisfying(reason -> assertThat(reason).contains("did not answer within 2 min"));
    }

    @Test
    void givenATenantThatFailedReadiness_whenProvisionedAgain_thenANewGenerationIsEmailedOnceItAnswers() {
        World world = World.withProbe(BEHIND_PROXY, probe);
        world.provision(1);
        world.clock.advance(ProvisioningPolicy.DEFAULT_READY_DEADLINE.plusSeconds(1));
        world.describe(1);

        probe.answer = new Readiness.Ready(302);
        ProvisionOutcome again = world.provision(1);

        assertThat(statusOf(again).lease().generation()).isEqualTo(2);
        assertThat(world.lease(1).notification()).isEqualTo(NotificationState.SENT);
        assertThat(world.mailer.accepted()).singleElement();
    }

    @Test
    void givenEmailAtStart_whenProvisioned_thenTheLinkIsNotAsked() {
        ProvisioningPolicy atStart =
                BEHIND_PROXY.withNotifyWhen(NotificationPolicy.WHEN_STARTED).withPublicHost(Ipv4Address.of("54.1.2.3"));
        World world = World.withProbe(atStart, probe);

        world.provision(1);

        assertThat(probe.asked).isEmpty();
        assertThat(world.mailer.accepted()).singleElement();
    }

    @Test
    void givenAFixedPublicHost_whenProbing_thenTheProbeConnectsThere() {
        World world = World.withProbe(BEHIND_PROXY.withPublicHost(Ipv4Address.of("54.1.2.3")), probe);

        world.provision(1);

        assertThat(probe.asked).containsExactly("https://tenant-1.54-1-2-3.sslip.io at 54.1.2.3");
    }

    /**
     * Whatever the link answers and whenever it is asked: never an email before it answered, never two for one
     * generation, and a tenant that failed for it keeps no container.
     */
    @Property(tries = 200)
    void givenAnySequenceOfAnswersAndWaits_thenOneEmailAGenerationAndOnlyAfterTheLinkAnswered(
            @ForAll("steps") List<Step> steps) {
        ScriptedProbe probe = new ScriptedProbe(); // jqwik keeps one test instance for every try
        World world = World.withProbe(BEHIND_PROXY, probe);
        world.provision(1);
        boolean answered = false;
        for (Step step : steps) {
            switch (step) {
                case ANSWERS:
                    probe.answer = new Readiness.Ready(200);
                    answered = true;
                    break;
                case STOPS_ANSWERING:
                    probe.answer = new Readiness.NotReady("connection refused");
                    break;
                case MINUTE_PASSES:
                    world.clock.advance(Duration.ofMinutes(1));
                    break;
                case LOOK:
                    world.describe(1);
                    break;
                default:
                    world.provision(1);
            }
            assertThat(world.mailer.accepted().size())
                    .isLessThanOrEqualTo(world.lease(1).generation());
            assertThat(world.mailer.accepted().stream().map(mail -> mail.idempotencyKey()))
                    .doesNotHaveDuplicates();
            if (!answered) {
                assertThat(world.mailer.accepted()).isEmpty();
            }
            if (world.lease(1).state() == TenantState.FAILED) {
                assertThat(world.runtime.live()).isEmpty();
            }
        }
    }

    enum Step {
        ANSWERS,
        STOPS_ANSWERING,
        MINUTE_PASSES,
        LOOK,
        PROVISION
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMaxSize(30);
    }
}
