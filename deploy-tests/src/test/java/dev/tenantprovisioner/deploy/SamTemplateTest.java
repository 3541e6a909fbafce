package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamTemplateTest {

    /** Read by the configuration but deliberately not set in AWS: endpoint overrides for local servers. */
    private static final Set<String> LOCAL_ONLY = Set.of("DYNAMODB_ENDPOINT", "ECS_ENDPOINT", "EC2_ENDPOINT");

    private static SamTemplate template;
    private static Map<String, Map<String, Object>> functions;

    @BeforeAll
    static void readTemplate() throws IOException {
        template = SamTemplate.atRepositoryRoot();
        functions = template.resourcesOfType("AWS::Serverless::Function");
    }

    @Test
    void givenTemplate_whenFunctionsListed_thenEveryHandlerOfTheEntrypointIsDeployed() throws IOException {
        Set<String> deployed = new TreeSet<>();
        functions.values().forEach(f -> deployed.add(handlerClass(f)));

        assertThat(deployed).isEqualTo(EntrypointClasses.requestHandlers());
    }

    @Test
    void givenEachFunction_whenItsHandlerIsLoaded_thenItIsARequestHandlerLambdaCanConstruct() throws Exception {
        assertThat(functions).isNotEmpty();
        for (Map<String, Object> function : functions.values()) {
            String handler = (String) template.functionProperty(function, "Handler");
            Class<?> type = Class.forName(handlerClass(function), false, getClass().getClassLoader());

            assertThat(handler).endsWith("::handleRequest");
            assertThat(RequestHandler.class).isAssignableFrom(type);
            assertThat(type.getConstructor()).as("public no-argument constructor of %s", type).isNotNull();
        }
    }

    @ParameterizedTest(name = "conditions hold: {0}")
    @ValueSource(booleans = {true, false})
    void givenDeployedEnvironment_whenConfigurationReadsIt_thenEveryVariableItReadsIsSetAndValid(boolean conditionsHold) {
        for (Map<String, Object> function : functions.values()) {
            Map<String, String> environment = new DeployedEnvironment(template, conditionsHold).of(function);
            RecordingEnvironment recording = new RecordingEnvironment(environment);

            Throwable refusal = catchThrowable(() -> Bootstrap.modules(recording));

            Set<String> unset = new TreeSet<>(recording.read());
            unset.removeAll(environment.keySet());
            unset.removeAll(LOCAL_ONLY);
            assertThat(unset).as("variables read but not set by the template").isEmpty();
            assertThat(refusal).as("configuration of %s", handlerClass(function)).isNull();
        }
    }

    @Test
    void givenTemplateEnvironment_whenComparedWithWhatConfigurationReads_thenNothingIsSetInVain() {
        for (Map<String, Object> function : functions.values()) {
            RecordingEnvironment recording = new RecordingEnvironment(new DeployedEnvironment(template, true).of(function));
            Bootstrap.modules(recording);

            Set<String> unread = new TreeSet<>(template.environment(function).keySet());
            unread.removeAll(recording.read());
            assertThat(unread).as("set by the template but read by no configuration (a typo?)").isEmpty();
        }
    }

    @Test
    void givenTemplateEnvironment_thenNoVariableLambdaReservesIsSet() {
        for (Map<String, Object> function : functions.values()) {
            assertThat(template.environment(function).keySet())
                    .noneMatch(name -> name.startsWith("AWS_") || name.startsWith("LAMBDA_") || name.startsWith("_"));
        }
    }

    @Test
    void givenVariablesHoldingSecrets_thenEachComesFromSecretsManager() {
        Map<String, Object> environment = template.environment(functions.values().iterator().next());
        Set<String> secrets = new TreeSet<>();
        environment.forEach((name, value) -> {
            if (name.contains("KEY") || name.contains("SECRET")) {
                secrets.add(name);
                assertThat(secretReferences(value)).as(name).isTrue();
            }
        });
        assertThat(secrets).contains("API_KEYS", "STRIPE_WEBHOOK_SECRETS", "RESEND_API_KEY");
    }

    @Test
    void givenFunctions_thenEachRunsFromASnapStartSnapshotOfAPublishedAlias() {
        for (Map<String, Object> function : functions.values()) {
            Map<String, Object> snapStart = SamTemplate.asMap(template.functionProperty(function, "SnapStart"));

            assertThat(snapStart).containsEntry("ApplyOn", "PublishedVersions");
            // Without an alias, events would invoke $LATEST, which SnapStart never applies to.
            assertThat(template.functionProperty(function, "AutoPublishAlias")).isNotNull();
            assertThat(String.valueOf(template.functionProperty(function, "Runtime"))).isIn("java17", "java21");
        }
    }

    private static String handlerClass(Map<String, Object> function) {
        String handler = String.valueOf(template.functionProperty(function, "Handler"));
        return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    }

    private static boolean secretReferences(Object value) {
        if (value instanceof Tagged tagged && tagged.function().equals("Sub")) {
            return DeployedEnvironment.SECRET_REFERENCE.matcher(String.valueOf(tagged.argument())).matches();
        }
        if (value instanceof Tagged tagged && tagged.function().equals("If")) {
            return SamTemplate.list(tagged.argument()).stream().skip(1)
                    .allMatch(branch -> "".equals(branch) || secretReferences(branch));
        }
        return false;
    }
}
