package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessUrlFormatTest {

    private final TenantId tenant = TenantId.of("user-123");
    private final Ipv4Address host = Ipv4Address.of("54.123.45.6");
    private final HostPort port = HostPort.of(3001);

    @Test
    void givenSslipDefault_whenFormatting_thenDottedAddressUnderSslip() {
        assertThat(AccessUrlFormat.sslip().format(tenant, host, port))
                .hasToString("http://user-123.54.123.45.6.sslip.io:3001");
    }

    @Test
    void givenDashedStyle_whenFormatting_thenDashedAddress() {
        AccessUrlFormat format = new AccessUrlFormat(AccessUrlFormat.Style.DASHED, "sslip.io");

        assertThat(format.format(tenant, host, port)).hasToString("http://user-123.54-123-45-6.sslip.io:3001");
    }

    @Test
    void givenCustomBaseDomain_whenFormatting_thenItReplacesSslip() {
        AccessUrlFormat format = new AccessUrlFormat(AccessUrlFormat.Style.DOTTED, "Apps.Example.COM");

        assertThat(format.format(tenant, host, port).value().getHost()).isEqualTo("user-123.54.123.45.6.apps.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad.io", "exa mple.io", "a..b", "example.io/path", "127.0.0.1:80"})
    void givenBadBaseDomain_whenCreated_thenRefused(String domain) {
        assertThatThrownBy(() -> new AccessUrlFormat(AccessUrlFormat.Style.DOTTED, domain))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("accessUrl.baseDomain"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1.2.3.-4", "", "1..2.3"})
    void givenNoIpv4Address_whenCreated_thenRefused(String value) {
        assertThatThrownBy(() -> Ipv4Address.of(value))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("host"));
    }

    @Test
    void givenAddress_whenDashed_thenDotsBecomeDashes() {
        assertThat(Ipv4Address.of("0.0.0.0").dashed()).isEqualTo("0-0-0-0");
    }
}
