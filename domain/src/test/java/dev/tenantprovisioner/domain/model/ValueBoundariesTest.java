package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The edges of every value object: the last accepted and the first refused, and what each prints. */
class ValueBoundariesTest {

    private static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }

    private static void refused(Runnable creation, String field) {
        assertThatThrownBy(creation::run)
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void givenEmailsAtTheLengthLimits_whenCreated_thenTheLastFittingIsAcceptedAndTheNextRefused() {
        String domain = "@" + repeat('d', 60) + ".com";
        String fits = repeat('a', 64) + "@" + repeat('b', 63) + "." + repeat('c', 63) + "." + repeat('e', 58) + ".io";
        String tooLong =
                repeat('a', 64) + "@" + repeat('b', 63) + "." + repeat('c', 63) + "." + repeat('e', 59) + ".io";

        assertThat(Email.of(fits).value()).hasSize(Email.MAX_LENGTH);
        refused(() -> Email.of(tooLong), "email");
        assertThat(Email.of(repeat('l', 64) + domain).value()).startsWith("l");
        refused(() -> Email.of(repeat('l', 65) + domain), "email");
        assertThat(Email.of("a@b.co").value()).isEqualTo("a@b.co");
        refused(() -> Email.of("a@b.c@"), "email");
    }

    @Test
    void givenAddressWithoutOneSideOfTheAt_whenCreated_thenTheProblemSaysWhichForm() {
        for (String missingSide : new String[] {"@example.com", "jane@"}) {
            assertThatThrownBy(() -> Email.of(missingSide))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.problem()).isEqualTo("must have the form local@domain"));
        }
    }

    @Test
    void givenEmail_whenPrinted_thenMaskedNeverWhole() {
        Email email = Email.of("Jane.Doe@Example.COM");

        assertThat(email).hasToString("J***@example.com");
        assertThat(email.masked()).isEqualTo("J***@example.com");
    }

    @Test
    void givenTaskIdAtTheLengthLimit_whenCreated_thenAcceptedAndOneMoreRefused() {
        assertThat(TaskId.of(repeat('t', TaskId.MAX_LENGTH)).value()).hasSize(TaskId.MAX_LENGTH);
        refused(() -> TaskId.of(repeat('t', TaskId.MAX_LENGTH + 1)), "taskId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\there", "del\u007f", "ctl\u001f", "é"})
    void givenTaskIdWithCharactersOutsidePrintableAscii_whenCreated_thenRefused(String value) {
        refused(() -> TaskId.of(value), "taskId");
    }

    @Test
    void givenTaskIdOfTheOuterPrintableCharacters_whenCreated_thenAcceptedAndPrintedAsIs() {
        assertThat(TaskId.of("!~")).hasToString("!~");
        refused(() -> TaskId.of(" "), "taskId");
    }

    @Test
    void givenValues_whenPrinted_thenTheirPlainForm() {
        assertThat(TenantId.of("user-1")).hasToString("user-1");
        assertThat(HostPort.of(3001)).hasToString("3001");
        assertThat(Ipv4Address.of("10.0.0.1")).hasToString("10.0.0.1");
        assertThat(new AccessUrl(URI.create("https://a.example.com:1"))).hasToString("https://a.example.com:1");
    }

    @Test
    void givenPorts_whenCompared_thenByNumber() {
        assertThat(HostPort.of(3000).compareTo(HostPort.of(3001))).isNegative();
        assertThat(HostPort.of(3001).compareTo(HostPort.of(3000))).isPositive();
        assertThat(HostPort.of(3000).compareTo(HostPort.of(3000))).isZero();
        refused(() -> HostPort.of(0), "port");
        refused(() -> HostPort.of(65536), "port");
        assertThat(HostPort.of(1).value()).isOne();
        assertThat(HostPort.of(65535).value()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://a.example.com", "mailto:a@example.com", "file:/etc/passwd"})
    void givenUrlThatIsNotHttp_whenMadeAnAccessUrl_thenRefused(String value) {
        refused(() -> new AccessUrl(URI.create(value)), "accessUrl");
    }

    @Test
    void givenBaseDomainAtTheLengthLimit_whenUsed_thenAcceptedAndOneMoreRefused() {
        String domain200 = repeat('a', 60) + "." + repeat('b', 60) + "." + repeat('c', 60) + "." + repeat('d', 17);

        assertThat(new AccessUrlFormat(domain200).baseDomain()).hasSize(200);
        refused(() -> new AccessUrlFormat("e" + domain200), "accessUrl.baseDomain");
    }

    @Test
    void givenPools_whenAskedAboutTheirPorts_thenMembershipLowestAndSizeFollowTheRangeAndTheReserved() {
        PortPool pool = new PortPool(2374, 2377, PortPool.ECS_RESERVED);

        assertThat(pool.contains(HostPort.of(2374))).isTrue();
        assertThat(pool.contains(HostPort.of(2375))).isFalse();
        assertThat(pool.contains(HostPort.of(2378))).isFalse();
        assertThat(pool.lowest()).isEqualTo(2374);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(new PortPool(2375, 2377, PortPool.ECS_RESERVED).lowest()).isEqualTo(2377);
        assertThat(new PortPool(1, 1, Set.of()).size()).isOne();
        assertThat(new PortPool(5, 10, Set.of(4, 5, 10, 11)).size()).isEqualTo(4);
    }

    @Test
    void givenPoolWhoseEveryPortIsReserved_whenCreated_thenRefusedButOneFreePortIsEnough() {
        refused(() -> new PortPool(2375, 2376, PortPool.ECS_RESERVED), "portPool.reserved");
        assertThat(new PortPool(2375, 2377, PortPool.ECS_RESERVED).size()).isOne();
        assertThat(new PortPool(65535, 65535, Set.of()).lowest()).isEqualTo(65535);
        refused(() -> new PortPool(3000, 2999, Set.of()), "portPool.last");
    }

    @Test
    void givenLeaseNumbers_whenZero_thenAcceptedAndWhenNegative_thenRefused() {
        Lease lease = Lease.granted(
                        TenantId.of("a"), Email.of("a@example.com"), HostPort.of(3000), Optional.empty(), Instant.EPOCH)
                .toBuilder()
                .generation(0)
                .build();

        assertThat(lease.toBuilder().restarts(0).version(0).build().version()).isZero();
        refused(() -> lease.toBuilder().generation(-1).build(), "version");
        refused(() -> lease.toBuilder().restarts(-1).build(), "version");
        refused(() -> lease.toBuilder().version(-1).build(), "version");
    }

    @Test
    void givenTombstone_whenItsPortIsRequired_thenTheErrorNamesTheTenantAndState() {
        Lease tombstone = Lease.tombstone(TenantId.of("gone"), Instant.EPOCH);

        assertThatThrownBy(tombstone::requirePort)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lease of gone in DEPROVISIONED holds no port");
    }

    @Test
    void givenStoredLeaseFields_whenRestoredThroughTheBuilder_thenTheSameLease() {
        Lease lease = Lease.granted(
                        TenantId.of("a"), Email.of("a@example.com"), HostPort.of(3000), Optional.empty(), Instant.EPOCH)
                .toBuilder()
                .generation(2)
                .build()
                .started(TaskId.of("t-1"), Instant.ofEpochSecond(5))
                .withHost(Ipv4Address.of("10.0.0.1"))
                .stored(Instant.ofEpochSecond(9));

        Lease restored = Lease.Builder.restore(lease.tenant(), lease.state(), lease.createdAt())
                .email(lease.email().orElseThrow())
                .port(lease.requirePort())
                .task(lease.task().orElseThrow())
                .host(lease.host().orElseThrow())
                .generation(2)
                .version(lease.version())
                .updatedAt(lease.updatedAt())
                .startedAt(lease.startedAt().orElseThrow())
                .timeline(lease.timeline())
                .build();

        assertThat(restored).isEqualTo(lease);
        assertThat(restored.timeline()).extracting(Step::name).containsExactly("allocated", "started");
    }

    @Test
    void givenLeaseRules_whenBroken_thenEachCheckNamesIt() {
        Lease lease = Lease.granted(
                TenantId.of("a"), Email.of("a@example.com"), HostPort.of(3000), Optional.empty(), Instant.EPOCH);
        Lease failed = lease.released(TenantState.FAILED, java.util.Optional.of("no room"));

        assertThatThrownBy(failed::requireSavable).hasMessageContaining("save may not move a to FAILED");
        assertThatThrownBy(failed::requireReleasable).hasMessageContaining("holds no port to release");
        assertThatThrownBy(() -> lease.toBuilder().generation(2).build().requireSameSlotAs(lease))
                .hasMessageContaining("may not change the port or generation");
        assertThatThrownBy(
                        () -> lease.toBuilder().port(HostPort.of(3001)).build().requireSameSlotAs(lease))
                .hasMessageContaining("may not change the port or generation");
        lease.requireSavable();
        lease.requireReleasable();
        lease.withState(TenantState.RUNNING).requireSameSlotAs(lease);
        assertThatThrownBy(() -> lease.released(TenantState.RUNNING, java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
