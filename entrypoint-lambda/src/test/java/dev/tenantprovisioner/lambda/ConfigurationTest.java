package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.Env;
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
}
