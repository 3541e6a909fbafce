package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "user-123", "a-b-c", "abcdefghijklmnopqrstuvwxyz0123456789"})
    void givenDnsLabelOfAtMost36Characters_whenCreated_thenAccepted(String value) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-abc", "abc-", "ABC", "a_b", "a.b", "a b", "user<script>", "é",
        "abcdefghijklmnopqrstuvwxyz0123456789a"})
    void givenNoDnsLabel_whenCreated_thenRefusedNamingTheField(String value) {
        assertThatThrownBy(() -> TenantId.of(value))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
    }
}
