package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbClients;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbSettings;
import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.adapters.aws.dynamodb.PortTable;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.adapters.aws.ecs.FakeEcsServer;
import dev.tenantprovisioner.adapters.aws.ecs.MotoEcs;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The deployed jar, started in a JVM of its own with only the environment a SnapStart function gets: no access key
 * variables, the container credentials endpoint instead, secrets named by Secrets Manager ids. DynamoDB and Secrets
 * Manager are moto, ECS is the fake (and, in one test, moto's ECS and EC2); the runtime hooks run through Lambda's
 * own CRaC context.
 */
class SnapStartFunctionTest {

    private static final Region REGION = Region.EU_WEST_1;
    private static final String API_KEY = "e2e-api-key-0123456789abcdef";
    private static final StaticCredentialsProvider SETUP =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("setup", "setup"));

    private static MotoServer moto;
    private static FakeEcsServer ecs;
    private static ContainerCredentialsEndpoint credentials;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void startServices() throws IOException {
        moto = MotoServer.start();
        ecs = new FakeEcsServer();
        credentials = new ContainerCredentialsEndpoint("e2e-authorization-token");
        dynamoDb = DynamoDbClients.create(
                new DynamoDbSettings(TableName.defaultName(), REGION, Optional.of(moto.endpoint()), 3), SETUP);
        PortTable.createIfAbsent(dynamoDb, TableName.defaultName());
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .region(REGION)
                .credentialsProvider(SETUP)
                .endpointOverride(moto.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            secrets.createSecret(r -> r.name("tenant-provisioner/api-keys").secretString(API_KEY));
            secrets.createSecret(
                    r -> r.name("tenant-provisioner/resend-api-key").secretString("re_e2e_0123456789"));
        }
    }

    @AfterAll
    static void stopServices() {
        dynamoDb.close();
        credentials.close();
        ecs.close();
        moto.close();
    }

    @Test
    void givenOnlyContainerCredentials_whenASignupArrives_thenTheTenantIsProvisionedWithThoseCredentials()
            throws Exception {
        List<String> output =
                runFunction(true, "POST", "/provision", "{\"userId\":\"snap-1\",\"email\":\"jane@example.com\"}");

        assertThat(output)
                .anySatisfy(
                        line -> assertThat(line).startsWith("STATUS 202 ").contains("\"state\":\"container_started\""));
        assertThat(credentials.served())
                .as("credentials fetched from the container endpoint")
                .isPositive();
        assertThat(credentials.refused()).isZero();
        List<LoggedRequest> runTask = ecs.requests("RunTask");
        assertThat(runTask).singleElement().satisfies(sent -> {
            assertThat(sent.getHeader("Authorization"))
                    .contains("Credential=" + ContainerCredentialsEndpoint.ACCESS_KEY + "/");
            assertThat(sent.getHeader("X-Amz-Security-Token")).isEqualTo(ContainerCredentialsEndpoint.SESSION_TOKEN);
        });
        Map<String, AttributeValue> lease = dynamoDb.getItem(r -> r.tableName(TableName.DEFAULT)
                        .key(Map.of("pk", AttributeValue.fromS("TENANT#snap-1"), "sk", AttributeValue.fromN("0"))))
                .item();
        assertThat(lease.get("state").s()).isEqualTo("CONTAINER_STARTED");
        assertThat(ecs.fake().taskArns())
                .singleElement()
                .isEqualTo(lease.get("task").s());
    }

    @Test
    void givenTheRuntimeHooks_whenTheFunctionIsPrimedBeforeTheSnapshot_thenNothingGoesOverTheWireUntilTheFirstRequest()
            throws Exception {
        int ecsBefore = ecs.requestCount();
        int credentialsBefore = credentials.served();

        // Secrets given as plain settings here, so that no credentials are needed during init at all.
        List<String> output = runFunction(false);

        assertThat(output)
                .anySatisfy(
                        line -> assertThat(line)
                                .contains(
                                        "\"event\":\"snapstart-before-checkpoint\",\"apiRequests\":3,\"sdkRequestsStopped\":5,\"mailerBuilt\":false"));
        assertThat(output).anySatisfy(line -> assertThat(line).contains("\"event\":\"snapstart-after-restore\""));
        assertThat(ecs.requestCount()).as("dry requests never reach ECS").isEqualTo(ecsBefore);
        assertThat(credentials.served())
                .as("priming signs with throwaway credentials, fetching none")
                .isEqualTo(credentialsBefore);
    }

    @Test
    void givenEcsAndEc2OnMoto_whenASignupArrivesAndItsStatusIsAsked_thenTheLinkCarriesTheInstancesPublicAddress()
            throws Exception {
        // A second implementation of ECS and EC2 (moto), beside the DynamoDB table on the same server; no PUBLIC_HOST,
        // so the address comes from DescribeContainerInstances and the adapter's own EC2 call.
        try (MotoEcs cluster = MotoEcs.besideOtherServices(moto, REGION)) {
            Map<String, String> onMoto = new java.util.HashMap<>();
            onMoto.put("ECS_ENDPOINT", moto.endpoint().toString());
            onMoto.put("EC2_ENDPOINT", moto.endpoint().toString());
            onMoto.put("ECS_CLUSTER", MotoEcs.CLUSTER);
            onMoto.put("ECS_TASK_DEFINITION", MotoEcs.FAMILY);
            onMoto.put("ECS_CONTAINER_NAME", MotoEcs.CONTAINER);
            onMoto.put("PUBLIC_HOST", null);

            List<String> output = runFunction(
                    true,
                    onMoto,
                    "POST",
                    "/provision",
                    "{\"userId\":\"moto-1\",\"email\":\"jane@example.com\"}",
                    "GET",
                    "/tenants/moto-1",
                    "-");

            String dashed = cluster.publicAddress().value().replace('.', '-');
            assertThat(output)
                    .anySatisfy(line -> assertThat(line).startsWith("STATUS 202 "))
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("STATUS 200 ")
                            .containsPattern("\"accessUrl\":\"https://moto-1\\." + dashed + "\\.sslip\\.io\""));
            assertThat(cluster.ecs()
                            .listTasks(r -> r.cluster(MotoEcs.CLUSTER).startedBy("moto-1"))
                            .taskArns())
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HttpApiFunction", "EcsTaskStateFunction", "SweepFunction"})
    void givenTheTemplatesWarmupInput_whenTheRuntimeHandsItToEachFunction_thenAnsweredAtOnceAndNothingReachesAService(
            String function) throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        String warmup = warmupInput(template);
        String handler = String.valueOf(SamTemplate.map(template.resource(function), "Properties")
                        .get("Handler"))
                .replace("::handleRequest", "");
        WireMockServer tripwire = new WireMockServer(
                WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        tripwire.start();
        try {
            Map<String, String> everyServiceOnTheTripwire = new java.util.HashMap<>();
            everyServiceOnTheTripwire.put("DYNAMODB_ENDPOINT", tripwire.baseUrl());
            everyServiceOnTheTripwire.put("ECS_ENDPOINT", tripwire.baseUrl());
            everyServiceOnTheTripwire.put("EC2_ENDPOINT", tripwire.baseUrl());
            everyServiceOnTheTripwire.put("LOGS_ENDPOINT", tripwire.baseUrl());
            everyServiceOnTheTripwire.put("IDLE_SUSPEND_AFTER", "2h");
            everyServiceOnTheTripwire.put("PROXY_LOG_GROUP", "stack-ProxyLogGroup-1A2B");
            everyServiceOnTheTripwire.put("ECS_NETWORK_MODE", "bridge");
            everyServiceOnTheTripwire.put("ECS_APP_PORT", "8080");
            everyServiceOnTheTripwire.put("RESEND_API_KEY_SECRET_ID", "tenant-provisioner/resend-api-key");
            everyServiceOnTheTripwire.put("RESEND_FROM", "Acme <welcome@acme.dev>");

            List<String> output =
                    launch(jarOf(function), true, everyServiceOnTheTripwire, List.of("--raw", handler, warmup));

            assertThat(output)
                    .as("what %s answered", handler)
                    .anySatisfy(line -> assertThat(line).startsWith("ANSWER ").contains("warm"));
            assertThat(tripwire.getAllServeEvents())
                    .as("requests to DynamoDB, ECS, EC2 or CloudWatch Logs")
                    .isEmpty();
        } finally {
            tripwire.stop();
        }
    }

    /**
     * The input of the template's warm-up schedules (the events named {@code WarmUp}; the sweep's restarts pass has an
     * input of its own): one and the same for every function that has one.
     */
    private static String warmupInput(SamTemplate template) {
        List<String> inputs = template.resourcesOfType("AWS::Serverless::Function").values().stream()
                .flatMap(function -> SamTemplate.map(function, "Events").entrySet().stream())
                .filter(event -> event.getKey().equals("WarmUp"))
                .map(event -> SamTemplate.asMap(event.getValue()))
                .filter(event -> "Schedule".equals(event.get("Type")))
                .map(event -> SamTemplate.map(event, "Properties").get("Input"))
                .filter(java.util.Objects::nonNull)
                .map(String::valueOf)
                .distinct()
                .toList();
        assertThat(inputs).as("warm-up inputs in the template").hasSize(1);
        return inputs.get(0);
    }

    private static List<String> runFunction(boolean secretsManager, String... requests) throws Exception {
        return runFunction(secretsManager, Map.of(), requests);
    }

    /**
     * Starts the function's JVM with a SnapStart function's environment (changed by {@code overrides}, where a null
     * value removes a variable) and returns what it printed.
     */
    private static List<String> runFunction(boolean secretsManager, Map<String, String> overrides, String... requests)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of(API_KEY));
        arguments.addAll(List.of(requests));
        return launch(lambdaJar(), secretsManager, overrides, arguments);
    }

    private static Path lambdaJar() {
        return Path.of(
                System.getProperty("deploy.lambdaJar", "../entrypoint-lambda/target/tenant-provisioner-lambda.jar"));
    }

    /** The jar each function deploys: the API function's own (no mail client), the shared one for the others. */
    private static Path jarOf(String function) {
        return function.equals("HttpApiFunction")
                ? Path.of(System.getProperty("deploy.apiJar", "../entrypoint-lambda/target/tenant-provisioner-api.jar"))
                : lambdaJar();
    }

    /** Starts {@link InvokeUnderSnapStart} with these arguments in the function's JVM (see {@link #runFunction}). */
    private static List<String> launch(
            Path jar, boolean secretsManager, Map<String, String> overrides, List<String> arguments) throws Exception {
        // Lambda's Java runtime: the runtime client and the serialisation it reads events with.
        String runtimeClient = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("aws-lambda-java-runtime-interface-client")
                        || entry.contains("aws-lambda-java-serialization"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        String testClasses = Path.of(InvokeUnderSnapStart.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Xmx256m",
                "-cp",
                String.join(File.pathSeparator, jar.toAbsolutePath().toString(), testClasses, runtimeClient),
                InvokeUnderSnapStart.class.getName()));
        command.addAll(arguments);
        ProcessBuilder spawn = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = spawn.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        // What Lambda sets for a SnapStart function: region, container credentials, no AWS_ACCESS_KEY_ID.
        env.put("AWS_REGION", REGION.id());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentials.uri().toString());
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", credentials.token());
        // What the template sets, with the endpoints on loopback.
        if (secretsManager) {
            env.put("API_KEYS_SECRET_ID", "tenant-provisioner/api-keys");
        } else {
            env.put("API_KEYS", API_KEY);
        }
        env.put("SECRETSMANAGER_ENDPOINT", moto.endpoint().toString());
        env.put("DYNAMODB_ENDPOINT", moto.endpoint().toString());
        env.put("ECS_ENDPOINT", ecs.endpoint().toString());
        env.put("EC2_ENDPOINT", "http://127.0.0.1:" + closedPort());
        env.put("PORT_TABLE_NAME", TableName.DEFAULT);
        env.put("ECS_CLUSTER", "tenants");
        env.put("ECS_TASK_DEFINITION", "tenant-app");
        env.put("ECS_CONTAINER_NAME", "tenant-app");
        env.put("PUBLIC_HOST", "203.0.113.7");
        overrides.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        Process function = spawn.start();
        String printed = new String(function.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(function.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(function.exitValue()).as(printed).isZero();
        return printed.lines().toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
