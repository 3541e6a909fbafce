package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Stage;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.http.wiring.Env;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    @Test
    void givenEmptyEnvironment_whenWiring_thenOneErrorListsEveryMissingSetting() {
        assertThatThrownBy(() -> Bootstrap.modules(Map.of()))
                .isInstanceOf(Env.ConfigurationException.class)
                .hasMessageContaining("API_KEYS is required")
                .hasMessageContaining("AWS_REGION is required");
    }

    @Test
    void givenInvalidValues_whenWiring_thenEachIsNamedWithItsProblem() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("API_KEYS", "short");
        env.put("PORT_RANGE_FIRST", "4000");
        env.put("PORT_RANGE_LAST", "3000");
        env.put("NOTIFY_WHEN", "sometimes");
        env.put("PUBLIC_HOST", "300.1.1.1");
        env.put("STRIPE_TOLERANCE_SECONDS", "soon");

        assertThatThrownBy(() -> Bootstrap.modules(env))
                .hasMessageContaining("API_KEYS: every key must have at least 16 characters")
                .hasMessageContaining("PORT_RANGE_FIRST (4000) must not be above PORT_RANGE_LAST (3000)")
                .hasMessageContaining("NOTIFY_WHEN is invalid: must be 'running' or 'started'")
                .hasMessageContaining("PUBLIC_HOST is invalid")
                .hasMessageContaining("STRIPE_TOLERANCE_SECONDS must be a whole number");
    }

    @Test
    void givenNotifyWhenStartedWithoutPublicHost_whenWiring_thenRefused() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("NOTIFY_WHEN", "started");

        assertThatThrownBy(() -> Bootstrap.modules(env)).hasMessageContaining("NOTIFY_WHEN=started needs PUBLIC_HOST");
    }

    @Test
    void givenDottedLinkStyle_whenWiring_thenRefusedSayingLinksAreDashedNow() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("ACCESS_URL_STYLE", "dotted");

        assertThatThrownBy(() -> Bootstrap.modules(env))
                .hasMessageContaining("ACCESS_URL_STYLE is no longer supported");
    }

    @Test
    void givenBadDurations_whenWiring_thenEachIsNamed() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("TASK_START_DEADLINE", "soon");
        env.put("PORT_HOLD_GRACE", "5s");

        assertThatThrownBy(() -> Bootstrap.modules(env))
                .hasMessageContaining("TASK_START_DEADLINE must be a duration such as 90s, 10m or 1h, was 'soon'")
                .hasMessageContaining("PORT_HOLD_GRACE must be between 30s and 24h, was 5s");
    }

    @Test
    void givenDurations_whenWiring_thenThePolicyCarriesThem() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("TASK_START_DEADLINE", "15m");
        env.put("PORT_HOLD_GRACE", "120");

        ProvisioningPolicy policy =
                Guice.createInjector(Stage.PRODUCTION, Bootstrap.modules(env)).getInstance(ProvisioningPolicy.class);

        assertThat(policy.startDeadline()).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.portHoldGrace()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void givenFunctionsThatDoNotServeTheApi_whenWiredWithoutApiKeys_thenTheyStartAndOnlyTheApiNeedsKeys() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.remove("API_KEYS");

        assertThat(Bootstrap.modules(Bootstrap.Function.TASK_EVENTS, env)).hasSize(3);
        assertThat(Bootstrap.modules(Bootstrap.Function.SWEEP, env)).hasSize(3);
        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.HTTP_API, env))
                .hasMessageContaining("API_KEYS is required");
    }

    @Test
    void givenASecretBothInPlainAndAsSecretsManagerId_whenWiring_thenRefused() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("RESEND_API_KEY_SECRET_ID", "tenant-provisioner/resend-api-key");

        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .hasMessageContaining("RESEND_API_KEY and RESEND_API_KEY_SECRET_ID are both set; set one of them");
    }
}
