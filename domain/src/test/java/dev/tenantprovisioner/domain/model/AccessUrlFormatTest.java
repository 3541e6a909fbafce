package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessUrlFormatTest {

    private final TenantId tenant = TenantId.of("user-123");
    private final Ipv4Address host = Ipv4Address.of("54.123.45.6");
    private final HostPort port = HostPort.of(3001);

    @Test
    void givenSslipDefault_whenFormatting_thenTenantThenDashedAddressUnderSslip() {
        assertThat(AccessUrlFormat.sslip().format(tenant, host, port))
                .hasToString("http://user-123.54-123-45-6.sslip.io:3001");
    }

    @Test
    void givenTheOriginalFlowsLink_whenResolvedAsSslipDoes_thenItPointsAtTheWrongAddress() {
        // Why the dotted form went: the tenant's digits join the address (xip.go takes the leftmost run).
        assertThat(WildcardDns.sslip("user-123.54.123.45.6.sslip.io")).contains("123.54.123.45");
        assertThat(WildcardDns.sslip("user-123.127.0.0.1.sslip.io")).contains("123.127.0.0");
    }

    @ParameterizedTest
    @CsvSource({
        "user-123,54.123.45.6",
        "user-123,127.0.0.1",
        "1,0.0.0.0",
        "a-1-2-3,10.0.0.1",
        "deadbeef,255.255.255.255",
        "x-256-1-1-1,1.2.3.4",
        "v1-01-2-3-4,9.9.9.9"
    })
    void givenTenantAndHost_whenFormatted_thenSslipAndNipResolveTheLinkToTheHost(String id, String address) {
        String name = AccessUrlFormat.sslip().hostName(TenantId.of(id), Ipv4Address.of(address));

        assertThat(WildcardDns.sslip(name)).contains(address);
        assertThat(WildcardDns.nipLegacy(name.replace("sslip.io", "nip.io"), "nip.io"))
                .contains(address);
    }

    @Test
    void givenCustomBaseDomain_whenFormatting_thenItReplacesSslip() {
        AccessUrlFormat format = new AccessUrlFormat("Apps.Example.COM");

        assertThat(format.format(tenant, host, port).value().getHost())
                .isEqualTo("user-123.54-123-45-6.apps.example.com");
    }

    @Test
    void givenAnHttpsProxy_whenFormatting_thenTheLinkIsHttpsWithoutAPort() {
        AccessUrlFormat format = AccessUrlFormat.sslip().behind(AccessUrlFormat.Proxy.https());

        assertThat(format.format(tenant, host, port)).hasToString("https://user-123.54-123-45-6.sslip.io");
    }

    @ParameterizedTest
    @CsvSource({
        "http,80,http://user-123.54-123-45-6.sslip.io",
        "http,8088,http://user-123.54-123-45-6.sslip.io:8088",
        "https,8443,https://user-123.54-123-45-6.sslip.io:8443"
    })
    void givenAProxyOnAPort_whenFormatting_thenTheLinkNamesThePortUnlessItIsTheSchemesOwn(
            String scheme, int proxyPort, String link) {
        AccessUrlFormat format = AccessUrlFormat.sslip().behind(new AccessUrlFormat.Proxy(scheme, proxyPort));

        assertThat(format.format(tenant, host, port)).hasToString(link);
    }

    @Test
    void givenTheOperatorsOwnDomain_whenFormatting_thenTheNameIsTheTenantUnderItWithoutTheAddress() {
        AccessUrlFormat format =
                AccessUrlFormat.sslip().onTenantDomain("Apps.Example.com").behind(AccessUrlFormat.Proxy.https());

        assertThat(format.format(tenant, host, port)).hasToString("https://user-123.apps.example.com");
        assertThat(format.namesHost()).isFalse();
        assertThat(AccessUrlFormat.sslip().namesHost()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad.io", "exa mple.io", "*.example.com", "example.com."})
    void givenABadTenantDomain_whenSet_thenRefusedByName(String domain) {
        assertThatThrownBy(() -> AccessUrlFormat.sslip().onTenantDomain(domain))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("accessUrl.tenantDomain"));
    }

    @ParameterizedTest
    @CsvSource({"ftp,443,proxy.scheme", "https,0,proxy.port", "http,65536,proxy.port"})
    void givenABadProxy_whenMade_thenRefusedByName(String scheme, int proxyPort, String field) {
        assertThatThrownBy(() -> new AccessUrlFormat.Proxy(scheme, proxyPort))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad.io", "exa mple.io", "a..b", "example.io/path", "127.0.0.1:80"})
    void givenBadBaseDomain_whenCreated_thenRefused(String domain) {
        assertThatThrownBy(() -> new AccessUrlFormat(domain))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("accessUrl.baseDomain"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1.2.3.-4", "", "1..2.3"})
    void givenNoIpv4Address_whenCreated_thenRefused(String value) {
        assertThatThrownBy(() -> Ipv4Address.of(value))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("host"));
    }

    @Test
    void givenAddress_whenDashed_thenDotsBecomeDashes() {
        assertThat(Ipv4Address.of("0.0.0.0").dashed()).isEqualTo("0-0-0-0");
    }
}
