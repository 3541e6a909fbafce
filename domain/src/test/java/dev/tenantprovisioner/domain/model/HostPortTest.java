package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3000, 65535})
    void givenPortInTcpRange_whenCreated_thenAccepted(int value) {
        assertThat(HostPort.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 65536})
    void givenPortOutsideTcpRange_whenCreated_thenRefused(int value) {
        assertThatThrownBy(() -> HostPort.of(value))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("port"));
    }
}
