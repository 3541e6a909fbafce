package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Billing;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpiValuesTest {

    @Test
    void givenStatuses_whenMade_thenPhaseReasonAndWhetherTheTaskIsOver() {
        assertThat(ContainerStatus.pending())
                .isEqualTo(
                        new ContainerStatus(ContainerStatus.Phase.PENDING, Optional.empty(), Optional.empty(), false));
        assertThat(ContainerStatus.pending("PROVISIONING").reason()).contains("PROVISIONING");
        assertThat(ContainerStatus.stopping("scaling in").phase()).isEqualTo(ContainerStatus.Phase.STOPPING);
        assertThat(ContainerStatus.stopping("scaling in").reason()).contains("scaling in");
        assertThat(ContainerStatus.noCapacity("RESOURCE:MEMORY").noCapacity()).isTrue();
        assertThat(ContainerStatus.stopped(null).reason()).isEmpty();
        assertThat(ContainerStatus.stopped("x").ended()).isTrue();
        assertThat(ContainerStatus.gone().ended()).isTrue();
        assertThat(ContainerStatus.stopping("x").ended()).isFalse();
        assertThat(ContainerStatus.pending().ended()).isFalse();
        assertThat(ContainerStatus.running(Optional.empty()).ended()).isFalse();
        assertThatThrownBy(() ->
                        new ContainerStatus(ContainerStatus.Phase.RUNNING, Optional.empty(), Optional.empty(), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenATaskThatStoppedBeforeItRanForAPassingReason_whenMade_thenStoppedToStartAgainAndNothingElseMayBe() {
        ContainerStatus failed = ContainerStatus.failedToStart("secret not readable yet");

        assertThat(failed.phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(failed.startAgain()).isTrue();
        assertThat(failed.noCapacity()).isFalse();
        assertThat(failed.reason()).contains("secret not readable yet");
        assertThat(ContainerStatus.stopped("x").startAgain()).isFalse();
        assertThatThrownBy(() -> new ContainerStatus(
                        ContainerStatus.Phase.PENDING, Optional.empty(), Optional.empty(), false, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContainerStatus(
                        ContainerStatus.Phase.STOPPED, Optional.empty(), Optional.of("x"), true, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenIdempotencyKeysAtTheLengthLimit_whenTheEmailIsMade_thenTheLastFittingIsAccepted() {
        AccessUrl url = new AccessUrl(URI.create("http://a.1-2-3-4.sslip.io:3000"));
        TenantId tenant = TenantId.of("a");
        Email to = Email.of("a@example.com");

        assertThat(new WelcomeEmail(tenant, to, url, "k".repeat(256)).idempotencyKey())
                .hasSize(256);
        assertThatThrownBy(() -> new WelcomeEmail(tenant, to, url, "k".repeat(257)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WelcomeEmail(tenant, to, url, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new WelcomeEmail(tenant, to, url, "k").idempotencyKey()).isEqualTo("k");
    }

    @Test
    void givenConflict_whenThrown_thenItNamesTheTenant() {
        assertThat(new LeaseConflictException(TenantId.of("a"), "lost").tenant())
                .isEqualTo(TenantId.of("a"));
    }

    @Test
    void givenTenantDatabaseParts_whenBlankOrThePortOutOfRange_thenRefusedNamingThePart() {
        assertThatThrownBy(() -> new TenantDatabase(" ", 5432, "db", "role", "pw"))
                .hasMessageContaining("host");
        assertThatThrownBy(() -> new TenantDatabase("h", 5432, "", "role", "pw"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> new TenantDatabase("h", 5432, "db", " ", "pw")).hasMessageContaining("user");
        assertThatThrownBy(() -> new TenantDatabase("h", 5432, "db", "role", ""))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> new TenantDatabase("h", 0, "db", "role", "pw")).hasMessageContaining("port");
        assertThatThrownBy(() -> new TenantDatabase("h", 65536, "db", "role", "pw"))
                .hasMessageContaining("port");
        assertThat(new TenantDatabase("h", 1, "db", "role", "pw").port()).isEqualTo(1);
        assertThat(new TenantDatabase("h", 65535, "db", "role", "pw").port()).isEqualTo(65535);
    }

    @Test
    void givenTenantDatabase_thenTheUrlEncodesItsPartsAndToStringHidesThePassword() {
        TenantDatabase database = new TenantDatabase("db.internal", 5432, "t a", "role+1", "p@ss/w rd");

        assertThat(database.secrets())
                .containsEntry("DATABASE_URL", "postgresql://role%2B1:p%40ss%2Fw%20rd@db.internal:5432/t%20a")
                .containsEntry("PGPASSWORD", "p@ss/w rd");
        assertThat(database.toString())
                .isEqualTo("TenantDatabase[role+1@db.internal:5432/t a, password hidden]")
                .doesNotContain("p@ss");
    }

    @Test
    void givenContainerSpec_thenToStringNamesTheSecretsButNotTheirValues() {
        ContainerSpec spec = new ContainerSpec(TenantId.of("a"), HostPort.of(3000), "tok")
                .withDatabase(new TenantDatabase("h", 5432, "db", "role", "secret-value"));

        assertThat(spec.toString())
                .startsWith("ContainerSpec[a on ")
                .contains("PGPASSWORD")
                .doesNotContain("secret-value");
    }

    @Test
    void givenBillingIds_whenNotProviderIds_thenRefusedNamingTheField() {
        Instant at = Instant.parse("2026-11-29T09:00:00Z");

        assertThatThrownBy(() -> new Billing(Optional.of("cus 1"), Optional.empty(), at))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("customer");
        assertThatThrownBy(() -> new Billing(Optional.empty(), Optional.of("sub/1"), at))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("subscription");
        assertThat(new Billing(Optional.of("cus_1"), Optional.of("sub_1"), at).subscription())
                .contains("sub_1");
    }

    @Test
    void givenLeaseQueries_thenOneToAThousandLeasesAndTheFirstPageHasNoCursorOrState() {
        assertThatThrownBy(() -> LeaseQuery.first(0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> LeaseQuery.first(1001)).hasMessageContaining("limit");
        assertThat(LeaseQuery.first(1).limit()).isOne();
        assertThat(LeaseQuery.first(1000)).isEqualTo(new LeaseQuery(1000, Optional.empty(), Optional.empty()));
    }
}
