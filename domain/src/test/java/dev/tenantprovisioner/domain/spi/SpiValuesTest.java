package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import java.net.URI;
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
}
