package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.IdleSweep;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionWiringTest {

    @Test
    void givenCompleteEnvironment_whenWiringForProduction_thenTheAwsAdaptersAreBound() {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, Bootstrap.modules(Fixture.baseEnv()));

        assertThat(injector.getInstance(PortRegistry.class)).isInstanceOf(DynamoDbPortRegistry.class);
        assertThat(injector.getInstance(ContainerRuntime.class)).isInstanceOf(EcsContainerRuntime.class);
        assertThat(injector.getInstance(HttpApi.class)).isNotNull();
        assertThat(injector.getInstance(Mailer.class).getClass().getSimpleName())
                .as("the API function wires no mail client")
                .doesNotContain("LazyMailer");
        assertThat(injector.getInstance(ProvisioningPolicy.class).notifiesHere())
                .isFalse();
    }

    @Test
    void givenCompleteEnvironment_whenWiringTheTaskEventFunction_thenItSendsTheEmailThroughResend() {
        Injector injector = Guice.createInjector(
                Stage.PRODUCTION, Bootstrap.modules(Bootstrap.Function.TASK_EVENTS, Fixture.baseEnv(), id -> "unused"));

        assertThat(injector.getInstance(Mailer.class).getClass().getSimpleName())
                .isEqualTo("LazyMailer");
        assertThat(injector.getInstance(ProvisioningPolicy.class).notifiesHere())
                .isTrue();
    }

    @Test
    void givenBadAdapterSettings_whenWiring_thenEachIsReportedInTheOneMessage() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.remove("ECS_CLUSTER");
        env.remove("RESEND_API_KEY");
        env.put("ECS_NETWORK_MODE", "awsvpc");
        env.put("DYNAMODB_ENDPOINT", "not a url");
        env.put("ECS_CONTAINER_ENV", "PORT=1");

        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.TASK_EVENTS, env, id -> "unused"))
                .hasMessageContaining("ECS_CLUSTER is required")
                .hasMessageContaining("RESEND_API_KEY is required")
                .hasMessageContaining("ECS_NETWORK_MODE is invalid")
                .hasMessageContaining("DYNAMODB_ENDPOINT is invalid");
    }

    @Test
    void givenContainerEnvironmentThatSetsPort_whenWiring_thenRefused() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("ECS_CONTAINER_ENV", "PORT=1,MODE=demo");

        assertThatThrownBy(() -> Bootstrap.modules(env)).hasMessageContaining("PORT is set by the provisioner");
    }

    @Test
    void givenTemplateFolderWithoutTemplates_whenWiring_thenInitFails(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("WELCOME_TEMPLATE_DIR", empty.toString());

        assertThatThrownBy(() -> Guice.createInjector(
                        Stage.PRODUCTION, Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused")))
                .hasMessageContaining("welcome.html");
    }

    @Test
    void
            givenIdleSuspendAfter_whenWiringTheSweep_thenIdleSuspensionReadsTheProxysLogOrContainerInsightsAndTooShortIsRefused() {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        assertThat(Guice.createInjector(
                                Stage.PRODUCTION, Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                        .getInstance(IdleSweep.class)
                        .suspend())
                .as("off unless configured")
                .isEmpty();

        env.put("IDLE_SUSPEND_AFTER", "2h");
        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .as("the proxy's access log, by default, needs its log group")
                .hasMessageContaining("PROXY_LOG_GROUP");
        env.put("PROXY_LOG_GROUP", "stack-ProxyLogGroup-1A2B");
        assertThat(Guice.createInjector(
                                Stage.PRODUCTION, Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                        .getInstance(IdleSweep.class)
                        .suspend())
                .as("read from the proxy's access log, in any network mode")
                .isPresent();
        env.put("IDLE_TRAFFIC", "container-insights");
        env.put("ECS_NETWORK_MODE", "bridge");
        env.put("ECS_APP_PORT", "8080");
        assertThat(Guice.createInjector(
                                Stage.PRODUCTION, Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                        .getInstance(IdleSweep.class)
                        .suspend())
                .isPresent();

        env.put("IDLE_SUSPEND_AFTER", "5m");
        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .hasMessageContaining("IDLE_SUSPEND_AFTER");
    }

    @Test
    void givenIdleSuspensionFromContainerInsightsWithHostNetworking_whenWiring_thenRefusedBesideTheOtherProblems() {
        // CloudWatch user guide, Container Insights ECS metrics: NetworkRxBytes "is available only for containers in
        // tasks using the awsvpc or bridge network modes"; in host mode every tenant would look idle.
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("IDLE_SUSPEND_AFTER", "2h");
        env.put("IDLE_TRAFFIC", "container-insights");
        env.remove("ECS_CLUSTER");

        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .isInstanceOf(dev.tenantprovisioner.http.wiring.Env.ConfigurationException.class)
                .hasMessageContaining("invalid configuration (2 problems)")
                .hasMessageContaining("ECS_CLUSTER is required")
                .hasMessageContaining("IDLE_SUSPEND_AFTER cannot be used with ECS_NETWORK_MODE=HOST")
                .hasMessageContaining("NetworkRxBytes");

        env.put("ECS_CLUSTER", "tenants");
        env.put("ECS_NETWORK_MODE", "host");
        assertThatThrownBy(() -> Bootstrap.modules(Bootstrap.Function.SWEEP, env, id -> "unused"))
                .hasMessageContaining("invalid configuration (1 problem)")
                .hasMessageContaining("IDLE_SUSPEND_AFTER cannot be used with ECS_NETWORK_MODE=HOST");
    }
}
