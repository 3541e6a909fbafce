package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bridge mode: one registered copy of the base task definition per host port, reused on retries. */
class EcsBridgeModeTest {

    private static final String BASE_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/tenant-app:7";
    private static final String COPY_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/tenant-app-port-3000:1";
    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/tenants/4b1d";

    /** A base definition as DescribeTaskDefinition returns it, read-only fields included. */
    private static final String BASE = """
            {
              "taskDefinitionArn": "%s",
              "family": "tenant-app",
              "revision": 7,
              "status": "ACTIVE",
              "taskRoleArn": "arn:aws:iam::123456789012:role/tenant-app",
              "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecution",
              "networkMode": "bridge",
              "cpu": "256",
              "memory": "512",
              "requiresCompatibilities": ["EC2"],
              "compatibilities": ["EXTERNAL", "EC2"],
              "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}],
              "placementConstraints": [{"type": "memberOf", "expression": "attribute:role == tenants"}],
              "volumes": [{"name": "data", "host": {"sourcePath": "/srv/data"}}],
              "registeredAt": 1767225600.0,
              "registeredBy": "arn:aws:iam::123456789012:user/ops",
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tenant-app:1.4.2",
                  "essential": true,
                  "memoryReservation": 256,
                  "portMappings": [
                    {"containerPort": 8080, "hostPort": 0, "protocol": "tcp"},
                    {"containerPort": 9090, "hostPort": 0, "protocol": "tcp", "name": "metrics"}
                  ],
                  "environment": [{"name": "APP_MODE", "value": "tenant"}],
                  "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": false}],
                  "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                                  "interval": 30, "timeout": 5, "retries": 3},
                  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/tenants", "awslogs-region": "us-east-1"}}
                },
                {
                  "name": "sidecar",
                  "image": "public.ecr.aws/example/sidecar:2",
                  "essential": false,
                  "memory": 64,
                  "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]
                }
              ]
            }""".formatted(BASE_ARN);

    private static final List<String> READ_ONLY = List.of(
            "taskDefinitionArn",
            "revision",
            "status",
            "compatibilities",
            "requiresAttributes",
            "registeredAt",
            "registeredBy");

    private final EcsWire wire = new EcsWire();
    private final EcsSettings settings =
            EcsSettings.of("tenants", "tenant-app", "app").withBridge(8080);

    @BeforeEach
    void givenBaseDefinitionAndNoCopyYet() {
        givenBase(BASE);
        wire.server.stubFor(describe("tenant-app-port-3000")
                .inScenario("copy")
                .whenScenarioStateIs(STARTED)
                .willReturn(error(400, "ClientException", "Unable to describe task definition.")));
        wire.server.stubFor(EcsWire.ecsCall("RegisterTaskDefinition")
                .inScenario("copy")
                .willReturn(json("{\"taskDefinition\":{\"taskDefinitionArn\":\"" + COPY_ARN + "\"}}"))
                .willSetStateTo("registered"));
        wire.server.stubFor(describe("tenant-app-port-3000")
                .inScenario("copy")
                .whenScenarioStateIs("registered")
                .willReturn(json("{\"taskDefinition\":{\"taskDefinitionArn\":\"" + COPY_ARN
                        + "\",\"family\":\"tenant-app-port-3000\"},"
                        + "\"tags\":[{\"key\":\"tenant-provisioner:base\",\"value\":\"" + BASE_ARN + "\"}]}")));
        wire.answer("RunTask", 200, "{\"tasks\":[{\"taskArn\":\"" + TASK_ARN + "\"}],\"failures\":[]}");
    }

    @AfterEach
    void stopWire() {
        wire.close();
    }

    private void givenBase(String definition) {
        wire.server.stubFor(describe("tenant-app")
                .willReturn(json("{\"taskDefinition\":" + definition
                        + ",\"tags\":[{\"key\":\"cost-centre\",\"value\":\"tenants\"}]}")));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder describe(String taskDefinition) {
        return EcsWire.ecsCall("DescribeTaskDefinition")
                .withRequestBody(matchingJsonPath("$.taskDefinition", equalTo(taskDefinition)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(
            int status, String type, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    private static ContainerSpec aSpec() {
        return new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g1-r0");
    }

    @Test
    void givenNoCopyForThePort_whenStarting_thenRegisteredCopyKeepsEverythingOfTheBaseButTheHostPort() {
        StartOutcome outcome = wire.runtime(settings).start(aSpec());

        ObjectNode expected = (ObjectNode) EcsWire.json(BASE);
        expected.remove(READ_ONLY);
        expected.put("family", "tenant-app-port-3000");
        ((ObjectNode) expected.at("/containerDefinitions/0/portMappings/0")).put("hostPort", 3000);
        ArrayNode tags = expected.putArray("tags");
        tags.addObject().put("key", "cost-centre").put("value", "tenants");
        tags.addObject().put("key", "tenant-provisioner:base").put("value", BASE_ARN);
        JsonNode registered = wire.onlyBody("RegisterTaskDefinition");
        assertThat(registered).isEqualTo(expected);
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
    }

    @Test
    void givenNoCopyForThePort_whenStarting_thenTaskRunsTheCopyAndListensOnTheAppPort() {
        wire.runtime(settings).start(aSpec());

        JsonNode runTask = wire.onlyBody("RunTask");
        assertThat(runTask.path("taskDefinition").asText()).isEqualTo(COPY_ARN);
        assertThat(runTask.at("/overrides/containerOverrides/0/environment"))
                .isEqualTo(EcsWire.json(
                        "[{\"name\":\"PORT\",\"value\":\"8080\"},{\"name\":\"TENANT_ID\",\"value\":\"acme\"}]"));
    }

    @Test
    void givenBaseTaggedWithAwsReservedTags_whenStarting_thenTheCopyCarriesOnlyTheOperatorsOwnTags() {
        // ECS tag restrictions: aws:, AWS: or any mix of case is reserved as a prefix "for either keys or values"
        // (developer guide, "Tagging your Amazon ECS resources"); RegisterTaskDefinition refuses them.
        wire.server.stubFor(describe("tenant-app")
                .willReturn(json("{\"taskDefinition\":" + BASE + ",\"tags\":["
                        + "{\"key\":\"cost-centre\",\"value\":\"tenants\"},"
                        + "{\"key\":\"aws:cloudformation:stack-name\",\"value\":\"stack\"},"
                        + "{\"key\":\"AWS:Owner\",\"value\":\"ops\"},"
                        + "{\"key\":\"aWs:mixed\",\"value\":\"x\"},"
                        + "{\"key\":\"origin\",\"value\":\"Aws:reserved-value\"},"
                        + "{\"key\":\"awsome\",\"value\":\"aws-like but not reserved\"}]}")));

        wire.runtime(settings).start(aSpec());

        assertThat(wire.onlyBody("RegisterTaskDefinition").get("tags"))
                .isEqualTo(EcsWire.json("[{\"key\":\"cost-centre\",\"value\":\"tenants\"},"
                        + "{\"key\":\"awsome\",\"value\":\"aws-like but not reserved\"},"
                        + "{\"key\":\"tenant-provisioner:base\",\"value\":\"" + BASE_ARN + "\"}]"));
    }

    @Test
    void givenCopyRegisteredByAnEarlierAttempt_whenStartingAgain_thenNoSecondRevisionIsRegistered() {
        wire.runtime(settings).start(aSpec());

        wire.runtime(settings).start(aSpec());

        assertThat(wire.requests("RegisterTaskDefinition")).hasSize(1);
        assertThat(wire.requests("RunTask"))
                .hasSize(2)
                .allSatisfy(sent -> assertThat(EcsWire.json(sent.getBodyAsString())
                                .path("taskDefinition")
                                .asText())
                        .isEqualTo(COPY_ARN));
    }

    @Test
    void givenCopyMadeFromAnOlderBase_whenStarting_thenANewCopyOfTheCurrentBaseIsRegistered() {
        wire.runtime(settings).start(aSpec());
        givenBase(BASE.replace("tenant-app:7", "tenant-app:8").replace("\"revision\": 7", "\"revision\": 8"));

        wire.runtime(settings).start(aSpec());

        var registered = wire.requests("RegisterTaskDefinition");
        assertThat(registered)
                .hasSize(2)
                .extracting(sent ->
                        EcsWire.json(sent.getBodyAsString()).at("/tags/1/value").asText())
                .containsExactlyInAnyOrder(BASE_ARN, BASE_ARN.replace("tenant-app:7", "tenant-app:8"));
    }

    @Test
    void givenBaseWithHostNetworking_whenStartingInBridgeMode_thenNonRetryableErrorAndNothingRegistered() {
        givenBase(BASE.replace("\"networkMode\": \"bridge\"", "\"networkMode\": \"host\""));

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("bridge").contains("host");
        assertThat(wire.requests("RegisterTaskDefinition")).isEmpty();
        assertThat(wire.requests("RunTask")).isEmpty();
    }

    @Test
    void givenAppPortTheContainerDoesNotMap_whenStarting_thenNonRetryableErrorNamingIt() {
        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class,
                () -> wire.runtime(
                                EcsSettings.of("tenants", "tenant-app", "app").withBridge(5000))
                        .start(aSpec()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("app").contains("5000");
        assertThat(wire.requests("RegisterTaskDefinition")).isEmpty();
    }

    @Test
    void givenBaseThatDoesNotExist_whenStarting_thenNonRetryableErrorNamingIt() {
        wire.server.stubFor(describe("tenant-app")
                .willReturn(error(400, "ClientException", "Unable to describe task definition.")));

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("tenant-app");
    }
}
