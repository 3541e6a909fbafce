package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What RunTask sends, and what each of ECS's answers to it becomes. */
class EcsRunTaskWireTest {

    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/tenants/4b1d";
    private static final String PLACED =
            "{\"tasks\":[{\"taskArn\":\"" + TASK_ARN + "\",\"lastStatus\":\"PROVISIONING\"}],\"failures\":[]}";

    private final EcsWire wire = new EcsWire();
    private final EcsSettings settings = EcsSettings.of("tenants", "tenant-app:7", "app");

    @AfterEach
    void stopWire() {
        wire.close();
    }

    private static ContainerSpec aSpec() {
        return new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g2-r1");
    }

    private static String notPlaced(String reason) {
        return "{\"tasks\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:us-east-1:123456789012:container-instance/tenants/c0ffee\","
                + "\"reason\":\"" + reason + "\"}]}";
    }

    @Test
    void givenARepeatedStartWhoseTaskRunsAlready_whenStarting_thenTheOutcomeDoesNotSayItIsNotRunningYet() {
        // RunTask with a clientToken it has seen answers the task it started then, as it stands now (RunTask API
        // reference, clientToken: "An identifier that you provide to ensure the idempotency of the request").
        wire.answer("RunTask", 200, PLACED.replace("PROVISIONING", "RUNNING"));

        StartOutcome outcome = wire.runtime(settings).start(aSpec());

        assertThat(outcome).isEqualTo(new StartOutcome.Started(TaskId.of(TASK_ARN), false));
    }

    @Test
    void givenRoom_whenStarting_thenRunTaskCarriesClusterDefinitionEnvironmentTokenTenantAndTags() {
        wire.answer("RunTask", 200, PLACED);

        StartOutcome outcome = wire.runtime(settings).start(aSpec());

        assertThat(outcome).isEqualTo(new StartOutcome.Started(TaskId.of(TASK_ARN), true));
        wire.server.verify(
                exactly(1),
                EcsWire.ecsRequest("RunTask")
                        .withHeader("Content-Type", equalTo(EcsWire.JSON_1_1))
                        .withHeader(
                                "Authorization",
                                matching("AWS4-HMAC-SHA256 Credential=" + EcsWire.ACCESS_KEY
                                        + "/\\d{8}/us-east-1/ecs/aws4_request, .*"))
                        .withRequestBody(equalToJson("""
                        {
                          "cluster": "tenants",
                          "taskDefinition": "tenant-app:7",
                          "count": 1,
                          "launchType": "EC2",
                          "overrides": {"containerOverrides": [{
                            "name": "app",
                            "environment": [{"name": "PORT", "value": "3000"}, {"name": "TENANT_ID", "value": "acme"}]
                          }]},
                          "clientToken": "acme-g2-r1",
                          "startedBy": "acme",
                          "tags": [
                            {"key": "tenant-provisioner:tenant", "value": "acme"},
                            {"key": "tenant-provisioner:start", "value": "acme-g2-r1"}
                          ],
                          "propagateTags": "TASK_DEFINITION"
                        }""")));
    }

    @Test
    void givenCapacityProviders_whenStarting_thenStrategyIsSentInsteadOfLaunchType() {
        wire.answer("RunTask", 200, PLACED);
        EcsSettings withProviders = settings.withCapacityProviders(List.of(
                new EcsSettings.CapacityProvider("tenants-asg", 1, 1),
                new EcsSettings.CapacityProvider("tenants-spot", 3, 0)));

        wire.runtime(withProviders).start(aSpec());

        var body = wire.onlyBody("RunTask");
        assertThat(body.has("launchType")).isFalse();
        assertThat(body.get("capacityProviderStrategy")).isEqualTo(EcsWire.json("""
                [{"capacityProvider": "tenants-asg", "weight": 1, "base": 1},
                 {"capacityProvider": "tenants-spot", "weight": 3, "base": 0}]"""));
    }

    @Test
    void givenExtraEnvironment_whenStarting_thenContainerGetsItBesidePortAndTenant() {
        wire.answer("RunTask", 200, PLACED);

        wire.runtime(settings.withEnvironment(Map.of("APP_MODE", "tenant", "LOG_LEVEL", "info")))
                .start(aSpec());

        assertThat(wire.onlyBody("RunTask").at("/overrides/containerOverrides/0/environment"))
                .isEqualTo(EcsWire.json("""
                [{"name": "APP_MODE", "value": "tenant"}, {"name": "LOG_LEVEL", "value": "info"},
                 {"name": "PORT", "value": "3000"}, {"name": "TENANT_ID", "value": "acme"}]"""));
    }

    @Test
    void givenStartTokenLongerThanEcsAllows_whenStarting_thenClientTokenIsItsHashOf64Characters() {
        wire.answer("RunTask", 200, PLACED);
        String tenant = "a".repeat(36);
        ContainerSpec spec = new ContainerSpec(
                TenantId.of(tenant), HostPort.of(3000), tenant + "-g" + Long.MAX_VALUE + "-r" + Long.MAX_VALUE);

        wire.runtime(settings).start(spec);

        assertThat(wire.onlyBody("RunTask").path("clientToken").asText())
                .hasSize(64)
                .matches("[0-9a-f]{64}")
                .isEqualTo(ClientTokens.of(spec.startToken()));
    }

    // Launch type EC2 places at once or not at all: a 200 with "failures", reason RESOURCE:* per instance (Amazon ECS
    // developer guide, "API failure reasons": "RESOURCE:* (container instance ID) The resource or resources requested
    // by the task are unavailable on the given container instance").
    @ParameterizedTest
    @ValueSource(strings = {"RESOURCE:MEMORY", "RESOURCE:CPU", "RESOURCE:ENI"})
    void givenNoInstanceWithRoom_whenStarting_thenNoCapacityWithEcsReason(String reason) {
        wire.answer("RunTask", 200, notPlaced(reason));

        assertThat(wire.runtime(settings).start(aSpec())).isEqualTo(new StartOutcome.NoCapacity(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RESOURCE:PORTS", "RESOURCE:PORTS_TCP"})
    void givenHostPortReservedOnEveryInstance_whenStarting_thenPortInUseSoTheTenantCanMoveOn(String reason) {
        // Bridge mode: another task (one still stopping, or one nobody knows) holds this host port; other ports may
        // fit.
        wire.answer("RunTask", 200, notPlaced(reason));

        assertThat(wire.runtime(settings).start(aSpec()))
                .isInstanceOfSatisfying(
                        StartOutcome.PortInUse.class,
                        inUse -> assertThat(inUse.reason()).startsWith(reason));
    }

    @Test
    void givenProvisioningQuotaReached_whenStartingOnACapacityProvider_thenNoCapacityNotAConfigurationError() {
        // RunTask's documentation (botocore ecs service-2.json): "If you get a ClientException error, the RunTask could
        // not
        // be processed because you use managed scaling and there is a capacity error because the quota of tasks in the
        // PROVISIONING per cluster has been reached"; the message ECS sends is "Tasks provisioning capacity limit
        // exceeded."
        wire.answerError("RunTask", 400, "ClientException", "Tasks provisioning capacity limit exceeded.");

        assertThat(wire.runtime(settings.withCapacityProviders(List.of(new EcsSettings.CapacityProvider("asg", 1, 0))))
                        .start(aSpec()))
                .isEqualTo(new StartOutcome.NoCapacity("Tasks provisioning capacity limit exceeded."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AGENT", "MISSING", "ATTRIBUTE", "LOCATION", "INACTIVE"})
    void givenConfigurationFailure_whenStarting_thenNonRetryableErrorNamingTheReason(String reason) {
        wire.answer("RunTask", 200, notPlaced(reason));

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage())
                .contains("acme")
                .contains(reason)
                .contains("container-instance/tenants/c0ffee");
    }

    @Test
    void givenOneInstanceFullAndOneWithoutAgent_whenStarting_thenNoCapacity() {
        wire.answer("RunTask", 200, """
                {"tasks": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:1:container-instance/tenants/a", "reason": "AGENT"},
                                           {"arn": "arn:aws:ecs:us-east-1:1:container-instance/tenants/b", "reason": "RESOURCE:CPU"}]}""");

        assertThat(wire.runtime(settings).start(aSpec())).isEqualTo(new StartOutcome.NoCapacity("RESOURCE:CPU"));
    }

    @Test
    void givenNoTaskAndNoFailure_whenStarting_thenRetryableErrorNotSuccess() {
        wire.answer("RunTask", 200, "{\"tasks\":[],\"failures\":[]}");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void givenClientException_whenStarting_thenNonRetryableAfterOneAttempt() {
        wire.answerError("RunTask", 400, "ClientException", "TaskDefinition is inactive");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage())
                .contains("RunTask")
                .contains("ClientException")
                .contains("TaskDefinition is inactive");
        assertThat(wire.requests("RunTask")).hasSize(1);
    }

    @Test
    void givenThrottling_whenStarting_thenSdkTriesThreeTimesThenRetryable() {
        wire.answerError("RunTask", 400, "ThrottlingException", "Rate exceeded");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isTrue();
        assertThat(wire.requests("RunTask")).hasSize(EcsClients.ATTEMPTS);
    }

    @Test
    void givenServerErrors_whenStarting_thenSdkTriesThreeTimesThenRetryable() {
        wire.answerError("RunTask", 500, "ServerException", "internal error");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).start(aSpec()));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("500").contains("ServerException");
        assertThat(wire.requests("RunTask")).hasSize(EcsClients.ATTEMPTS);
    }

    @Test
    void givenOneServerError_whenStarting_thenSdkRetryCarriesTheSameClientTokenAndSucceeds() {
        wire.server.stubFor(EcsWire.ecsCall("RunTask")
                .inScenario("flaky")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", EcsWire.JSON_1_1)
                        .withBody("{\"__type\":\"ServerException\",\"message\":\"try again\"}"))
                .willSetStateTo("recovered"));
        wire.server.stubFor(EcsWire.ecsCall("RunTask")
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", EcsWire.JSON_1_1)
                        .withBody(PLACED)));

        StartOutcome outcome = wire.runtime(settings).start(aSpec());

        assertThat(outcome).isEqualTo(new StartOutcome.Started(TaskId.of(TASK_ARN), true));
        assertThat(wire.requests("RunTask"))
                .hasSize(2)
                .allSatisfy(sent -> assertThat(EcsWire.json(sent.getBodyAsString())
                                .path("clientToken")
                                .asText())
                        .isEqualTo("acme-g2-r1"));
    }
}
