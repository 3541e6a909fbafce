package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.util.Modules;
import dev.tenantprovisioner.adapters.inmemory.InMemoryBillingRecords;
import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.wiring.CoreModule;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import dev.tenantprovisioner.http.wiring.Env;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route API Gateway sends to the function is one the HTTP API serves. */
class TemplateRoutesTest {

    @ParameterizedTest(name = "StripeTrigger {0}")
    @ValueSource(strings = {"disabled", "enabled"})
    void givenEveryRouteTheTemplateDeclares_whenCalledWithoutCredentials_thenTheApiServesItAndAsksForThem(String stripe)
            throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        Map<String, Object> function =
                template.resourcesOfType("AWS::Serverless::Function").get("HttpApiFunction");
        HttpApi api = httpApi(DeployedEnvironment.withSecretsRead(
                new DeployedEnvironment(template, Map.of("StripeTrigger", stripe)).of(function)));
        List<String> routes = new ArrayList<>();

        SamTemplate.map(function, "Events").values().forEach(event -> {
            Map<String, Object> body = SamTemplate.asMap(event);
            if ("HttpApi".equals(body.get("Type"))) {
                Map<String, Object> properties = SamTemplate.map(body, "Properties");
                routes.add(properties.get("Method") + " " + properties.get("Path"));
            }
        });

        assertThat(routes)
                .containsExactlyInAnyOrder(
                        "POST /provision",
                        "GET /tenants",
                        "GET /tenants/{id}",
                        "DELETE /tenants/{id}",
                        "POST /tenants/{id}/suspend",
                        "POST /tenants/{id}/resume",
                        "GET /proxy/config",
                        "ANY /proxy/wake/{id}",
                        "POST /reconcile",
                        "POST /webhooks/stripe");
        for (String route : routes) {
            String[] methodAndPath = route.split(" ");
            ApiRequest request = new ApiRequest(
                    methodAndPath[0],
                    methodAndPath[1].replace("{id}", "tenant-1"),
                    Map.of(),
                    new byte[0],
                    "route-check");
            ApiResponse response = api.handle(request);

            // Each route is served: the webhook asks for Stripe's signature (or says the trigger is off), every other
            // route for an API key; none is unknown or refuses the method.
            if (route.endsWith("/webhooks/stripe")) {
                String expected =
                        stripe.equals("enabled") ? "\"code\":\"bad-signature\"" : "\"code\":\"stripe-not-configured\"";
                assertThat(response.status()).as(route).isEqualTo(stripe.equals("enabled") ? 400 : 404);
                assertThat(response.body()).as(route).contains(expected);
            } else {
                assertThat(response.status())
                        .as(route + " answered " + response.body())
                        .isEqualTo(401);
                assertThat(response.body()).as(route).contains("\"code\":\"unauthorized\"");
            }
        }
    }

    private static HttpApi httpApi(Map<String, String> environment) {
        Env env = new Env(environment);
        CoreSettings settings = CoreSettings.from(env);
        env.check();
        AbstractModule inMemory = new AbstractModule() {
            @Override
            protected void configure() {
                bind(PortRegistry.class).toInstance(new InMemoryPortRegistry(settings.portPool()));
                bind(ContainerRuntime.class).toInstance(new InMemoryContainerRuntime());
                bind(Mailer.class).toInstance(new RecordingMailer());
                bind(BillingRecords.class).toInstance(new InMemoryBillingRecords());
                bind(LogOutput.class)
                        .toInstance(new LogOutput(
                                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            }
        };
        return Guice.createInjector(Modules.override(new CoreModule(settings)).with(inMemory))
                .getInstance(HttpApi.class);
    }
}
