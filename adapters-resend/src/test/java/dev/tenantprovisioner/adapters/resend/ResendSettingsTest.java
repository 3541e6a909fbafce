package dev.tenantprovisioner.adapters.resend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResendSettingsTest {

    @Test
    void givenSettings_whenPrinted_thenApiKeyIsHidden() {
        ResendSettings settings = ResendSettings.of("re_secret_123", "Acme <welcome@acme.dev>");

        assertThat(settings.toString()).doesNotContain("re_secret_123").contains("apiKey=***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "re_secret 123", "re_secret\n123", "re_sécret"})
    void givenMalformedApiKey_whenConfigured_thenRefusedWithoutRepeatingIt(String apiKey) {
        assertThatThrownBy(() -> ResendSettings.of(apiKey, "Acme <welcome@acme.dev>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey:")
                .satisfies(e -> assertThat(apiKey.isBlank() || !e.getMessage().contains(apiKey))
                        .isTrue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6})
    void givenAttemptsOutsideOneToFive_whenConfigured_thenRefused(int attempts) {
        ResendSettings settings = ResendSettings.of("re_key", "Acme <welcome@acme.dev>");

        assertThatThrownBy(() -> settings.withRetry(attempts, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxAttempts:");
    }

    @Test
    void givenBlankSender_whenConfigured_thenRefused() {
        assertThatThrownBy(() -> ResendSettings.of("re_key", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("from:");
    }
}
