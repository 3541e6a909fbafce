package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.http.wiring.Env;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

        assertThat(Bootstrap.modules(Bootstrap.Function.TASK_EVENTS, env)).hasSize(4);
        assertThat(Bootstrap.modules(Bootstrap.Function.SWEEP, env)).hasSize(4);
        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.HTTP_API, env))
                .hasMessageContaining("API_KEYS is required");
    }

    @Test
    void givenNoDatabaseSettings_whenWiring_thenTenantDatabasesAreOff() {
        Optional<TenantDatabases> databases = Guice.createInjector(
                        Stage.PRODUCTION, Bootstrap.modules(Fixture.baseEnv()))
                .getInstance(Key.get(new TypeLiteral<Optional<TenantDatabases>>() {}));

        assertThat(databases).isEmpty();
    }

    @Test
    void givenDatabaseSettings_whenWiring_thenEveryTenantGetsADatabaseOnThatServer() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("DATABASE_ADMIN_URL", "jdbc:postgresql://db.internal:5432/postgres");
        env.put("DATABASE_ADMIN_USER", "provisioner");
        env.put("DATABASE_ADMIN_PASSWORD", "admin-secret");
        env.put("DATABASE_PASSWORD_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        env.put("DATABASE_TENANT_HOST", "10.0.1.5");

        Optional<TenantDatabases> databases = Guice.createInjector(Stage.PRODUCTION, Bootstrap.modules(env))
                .getInstance(Key.get(new TypeLiteral<Optional<TenantDatabases>>() {}));

        assertThat(databases).hasValueSatisfying(d -> {
            TenantDatabase access = d.access(dev.tenantprovisioner.domain.model.TenantId.of("acme"), 1);
            assertThat(access.host()).isEqualTo("10.0.1.5");
            assertThat(access.port()).isEqualTo(5432);
            assertThat(access.name()).isEqualTo("tenant_acme");
        });
    }

    @Test
    void givenDatabaseUrlWithoutItsSecrets_whenWiring_thenEachMissingSettingIsNamed() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("DATABASE_ADMIN_URL", "jdbc:postgresql://db.internal:5432/postgres");
        env.put("DATABASE_CONNECTION_LIMIT", "many");

        assertThatThrownBy(() -> Bootstrap.modules(env))
                .hasMessageContaining("DATABASE_ADMIN_USER is required")
                .hasMessageContaining("DATABASE_ADMIN_PASSWORD (or DATABASE_ADMIN_PASSWORD_SECRET_ID) is required")
                .hasMessageContaining("DATABASE_PASSWORD_KEY (or DATABASE_PASSWORD_KEY_SECRET_ID) is required")
                .hasMessageContaining("DATABASE_CONNECTION_LIMIT must be whole numbers");
    }

    @Test
    void givenASecretBothInPlainAndAsSecretsManagerId_whenWiring_thenRefused() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("RESEND_API_KEY_SECRET_ID", "tenant-provisioner/resend-api-key");

        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .hasMessageContaining("RESEND_API_KEY and RESEND_API_KEY_SECRET_ID are both set; set one of them");
    }
}
