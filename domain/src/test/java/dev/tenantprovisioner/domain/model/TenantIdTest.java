package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "0",
                "user-123",
                "a-b-c",
                "abcdefghijklmnopqrstuvwxyz0123456789",
                "1-2-3",
                "10-0-0-01",
                "256-0-0-1",
                "v1-2-3-4x",
                "1-2-3-4a",
                "10-0-0-1000"
            })
    void givenDnsLabelOfAtMost36Characters_whenCreated_thenAccepted(String value) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-abc",
                "abc-",
                "ABC",
                "a_b",
                "a.b",
                "a b",
                "user<script>",
                "é",
                "abcdefghijklmnopqrstuvwxyz0123456789a"
            })
    void givenNoDnsLabel_whenCreated_thenRefusedNamingTheField(String value) {
        assertThatThrownBy(() -> TenantId.of(value))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "x-10-0-0-1",
                "10-0-0-1",
                "1-2-3-4-5",
                "user-192-168-0-1-app",
                "a-255-255-255-255",
                "256-1-1-1-1",
                "0-0-0-0"
            })
    void givenLabelHoldingADashedIpv4Address_whenCreated_thenRefusedSayingWhy(String value) {
        assertThatThrownBy(() -> TenantId.of(value)).isInstanceOfSatisfying(InvalidValueException.class, e -> {
            assertThat(e.field()).isEqualTo("tenantId");
            assertThat(e.problem()).contains("IPv4 address");
        });
    }
}
