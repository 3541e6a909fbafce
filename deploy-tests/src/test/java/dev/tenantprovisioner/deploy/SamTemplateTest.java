package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamTemplateTest {

    /** Read by the configuration but deliberately not set in AWS: endpoint overrides for local servers. */
    private static final Set<String> LOCAL_ONLY =
            Set.of("DYNAMODB_ENDPOINT", "ECS_ENDPOINT", "EC2_ENDPOINT", "SECRETSMANAGER_ENDPOINT", "LOGS_ENDPOINT");
    /** Read only to refuse a setting that is no longer supported, with a message saying so. */
    private static final Set<String> RETIRED = Set.of("ACCESS_URL_STYLE");
    /** The settings that are secret; none may be set as a value, only as a Secrets Manager id. */
    private static final Set<String> SECRETS = Set.of(
            "API_KEYS",
            "STRIPE_WEBHOOK_SECRETS",
            "RESEND_API_KEY",
            "DATABASE_ADMIN_PASSWORD",
            "DATABASE_PASSWORD_KEY",
            "PROXY_KEYS");

    private static SamTemplate template;
    private static Map<String, Map<String, Object>> functions;

    @BeforeAll
    static void readTemplate() throws IOException {
        template = SamTemplate.atRepositoryRoot();
        functions = template.resourcesOfType("AWS::Serverless::Function");
    }

    static Stream<Arguments> deployments() {
        return Stream.of(
                Arguments.of(Map.of()),
                Arguments.of(Map.of("StripeTrigger", "enabled")),
                Arguments.of(Map.of("TenantNetworkMode", "host")),
                Arguments.of(Map.of("DatabaseAdminUrl", "jdbc:postgresql://db.example.internal:5432/postgres")),
                Arguments.of(Map.of("IdleSuspendAfter", "90m")));
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
            Class<?> type =
                    Class.forName(handlerClass(function), false, getClass().getClassLoader());

            assertThat(handler).endsWith("::handleRequest");
            assertThat(RequestHandler.class).isAssignableFrom(type);
            assertThat(type.getConstructor())
                    .as("public no-argument constructor of %s", type)
                    .isNotNull();
        }
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("deployments")
    void givenDeployedEnvironment_whenConfigurationReadsIt_thenEveryVariableItReadsIsSetAndValid(
            Map<String, String> parameters) {
        for (Map<String, Object> function : functions.values()) {
            Map<String, String> environment = new DeployedEnvironment(template, parameters).of(function);
            RecordingEnvironment recording = new RecordingEnvironment(environment);

            Throwable refusal = catchThrowable(
                    () -> Bootstrap.modules(functionOf(function), recording, new DeployedEnvironment.SampleSecrets()));

            Set<String> unset = new TreeSet<>(recording.read());
            unset.removeAll(environment.keySet());
            unset.removeAll(LOCAL_ONLY);
            unset.removeAll(SECRETS); // read from Secrets Manager by id, never set
            SECRETS.forEach(secret -> unset.remove(secret + "_SECRET_ID")); // looked for by every function; optional
            unset.removeAll(RETIRED);
            assertThat(unset).as("variables read but not set by the template").isEmpty();
            assertThat(refusal)
                    .as("configuration of %s", handlerClass(function))
                    .isNull();
        }
    }

    @Test
    void givenTemplateEnvironment_whenComparedWithWhatConfigurationReads_thenNothingIsSetInVain() {
        for (Map<String, Object> function : functions.values()) {
            RecordingEnvironment recording = new RecordingEnvironment(
                    new DeployedEnvironment(template, Map.of("StripeTrigger", "enabled")).of(function));
            Bootstrap.modules(functionOf(function), recording, new DeployedEnvironment.SampleSecrets());

            Set<String> unread = new TreeSet<>(template.environment(function).keySet());
            unread.removeAll(recording.read());
            assertThat(unread)
                    .as("set by the template but read by no configuration (a typo?)")
                    .isEmpty();
        }
    }

    @Test
    void givenTemplateEnvironment_thenNoVariableLambdaReservesIsSet() {
        for (Map<String, Object> function : functions.values()) {
            assertThat(template.environment(function).keySet())
                    .noneMatch(name -> name.startsWith("AWS_") || name.startsWith("LAMBDA_") || name.startsWith("_"));
        }
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("deployments")
    void givenEachFunction_thenItIsGivenTheIdsOfTheSecretsItUsesAndNoSecretValueAtAll(Map<String, String> parameters) {
        for (Map.Entry<String, Map<String, Object>> named : functions.entrySet()) {
            Map<String, Object> function = named.getValue();
            Map<String, String> environment = new DeployedEnvironment(template, parameters).of(function);
            DeployedEnvironment.SampleSecrets secrets = new DeployedEnvironment.SampleSecrets();
            Bootstrap.modules(functionOf(function), environment, secrets);

            assertThat(environment.keySet())
                    .as(named.getKey() + " holds no secret value")
                    .doesNotContainAnyElementsOf(SECRETS);
            assertThat(secrets.read)
                    .as(named.getKey() + " reads the secrets it uses")
                    .isEqualTo(usedBy(function, parameters));
        }
    }

    @ParameterizedTest(name = "parameters {0}")
    @MethodSource("deployments")
    void givenEachFunctionsRole_thenItMayReadExactlyTheSecretsThatFunctionReads(Map<String, String> parameters) {
        DeployedEnvironment deployed = new DeployedEnvironment(template, parameters);
        for (Map.Entry<String, Map<String, Object>> named : functions.entrySet()) {
            Map<String, Object> function = named.getValue();
            Tagged role = (Tagged) template.functionProperty(function, "Role");
            String roleName =
                    String.valueOf(SamTemplate.list(role.argument()).get(0)).split("\\.")[0];
            Set<String> readable = new TreeSet<>();
            for (Object policy : SamTemplate.list(
                    SamTemplate.map(template.resource(roleName), "Properties").get("Policies"))) {
                for (Object statement : SamTemplate.list(SamTemplate.map(SamTemplate.asMap(policy), "PolicyDocument")
                        .get("Statement"))) {
                    Map<String, Object> body = SamTemplate.asMap(statement);
                    if (SamTemplate.list(body.get("Action")).contains("secretsmanager:GetSecretValue")) {
                        for (Object resource : SamTemplate.list(body.get("Resource"))) {
                            if (resource instanceof Tagged tagged
                                    && tagged.function().equals("If")
                                    && !deployed.holds(String.valueOf(
                                            SamTemplate.list(tagged.argument()).get(0)))) {
                                continue;
                            }
                            readable.add(deployed.resolve(roleName, resource));
                        }
                    }
                }
            }
            Set<String> expected = new TreeSet<>();
            usedBy(function, parameters)
                    .forEach(id ->
                            expected.add("arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + id + "-??????"));

            assertThat(readable).as(named.getKey() + " (role " + roleName + ")").isEqualTo(expected);
        }
    }

    @Test
    void givenFunctions_thenEachRunsFromASnapStartSnapshotOfAPublishedAlias() {
        for (Map<String, Object> function : functions.values()) {
            Map<String, Object> snapStart = SamTemplate.asMap(template.functionProperty(function, "SnapStart"));

            assertThat(snapStart).containsEntry("ApplyOn", "PublishedVersions");
            // Without an alias, events would invoke $LATEST, which SnapStart never applies to.
            assertThat(template.functionProperty(function, "AutoPublishAlias")).isNotNull();
            assertThat(String.valueOf(template.functionProperty(function, "Runtime")))
                    .isIn("java17", "java21");
        }
    }

    @Test
    void givenFunctions_thenEverySnapStartVersionIsInvokedByAScheduleWellWithinFourteenDays() {
        // "Your function version becomes Inactive when it hasn't been invoked for 14 days", and its next invocation
        // fails with SnapStartNotReadyException (Lambda developer guide, SnapStart troubleshooting,
        // https://docs.aws.amazon.com/lambda/latest/dg/snapstart-troubleshooting.html). A schedule on a function with
        // AutoPublishAlias invokes the alias (SAM attaches every event source to the alias when there is one).
        for (Map.Entry<String, Map<String, Object>> named : functions.entrySet()) {
            Map<String, Object> function = named.getValue();
            Object snapStart = template.functionProperty(function, "SnapStart");
            if (snapStart == null
                    || !"PublishedVersions".equals(SamTemplate.asMap(snapStart).get("ApplyOn"))) {
                continue;
            }
            assertThat(template.functionProperty(function, "AutoPublishAlias"))
                    .as(named.getKey())
                    .isNotNull();
            List<Duration> every = SamTemplate.map(function, "Events").values().stream()
                    .map(SamTemplate::asMap)
                    .filter(event -> List.of("Schedule", "ScheduleV2").contains(event.get("Type")))
                    .map(event -> rate(
                            String.valueOf(SamTemplate.map(event, "Properties").get("Schedule"))))
                    .toList();
            assertThat(every)
                    .as(named.getKey() + ": a schedule that keeps its SnapStart version invoked")
                    .anySatisfy(rate -> assertThat(rate).isLessThanOrEqualTo(Duration.ofDays(1)));
        }
    }

    /** An EventBridge {@code rate(value unit)} expression; cron expressions are not used here. */
    private static Duration rate(String expression) {
        Matcher rate =
                Pattern.compile("rate\\((\\d+) (minutes?|hours?|days?)\\)").matcher(expression);
        if (!rate.matches()) {
            throw new AssertionError("not a rate expression these checks read: " + expression);
        }
        long value = Long.parseLong(rate.group(1));
        return rate.group(2).startsWith("minute")
                ? Duration.ofMinutes(value)
                : rate.group(2).startsWith("hour") ? Duration.ofHours(value) : Duration.ofDays(value);
    }

    /** The secret ids a function must read: the mail key where mail is sent, the API's own for the API function. */
    private static Set<String> usedBy(Map<String, Object> function, Map<String, String> parameters) {
        String prefix = "tenant-provisioner/";
        Set<String> used = new TreeSet<>();
        if (functionOf(function).sendsMail()) {
            used.add(prefix + "resend-api-key");
        }
        if (!parameters.getOrDefault("DatabaseAdminUrl", "").isEmpty()) {
            used.add(prefix + "database-admin-password");
            used.add(prefix + "database-password-key");
        }
        if (functionOf(function).servesApi()) {
            used.add(prefix + "api-keys");
            used.add(prefix + "proxy-key");
            if ("enabled".equals(parameters.get("StripeTrigger"))) {
                used.add(prefix + "stripe-webhook-secrets");
            }
        }
        return used;
    }

    private static Bootstrap.Function functionOf(Map<String, Object> function) {
        switch (handlerClass(function).substring(handlerClass(function).lastIndexOf('.') + 1)) {
            case "HttpApiHandler":
                return Bootstrap.Function.HTTP_API;
            case "EcsTaskStateHandler":
                return Bootstrap.Function.TASK_EVENTS;
            case "SweepHandler":
                return Bootstrap.Function.SWEEP;
            default:
                throw new IllegalStateException("no function kind for " + handlerClass(function));
        }
    }

    private static String handlerClass(Map<String, Object> function) {
        String handler = String.valueOf(template.functionProperty(function, "Handler"));
        return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    }
}
