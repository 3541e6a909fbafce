package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DescribeTasks and where the task landed; StopTask and its answers. */
class EcsStatusAndStopWireTest {

    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/tenants/4b1d";
    private static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/tenants/c0ffee";
    private static final TaskId TASK = TaskId.of(TASK_ARN);

    private final EcsWire wire = new EcsWire();
    private final EcsSettings settings = EcsSettings.of("tenants", "tenant-app", "app");

    @AfterEach
    void stopWire() {
        wire.close();
    }

    private void givenTask(String lastStatus, String extra) {
        wire.answer(
                "DescribeTasks",
                200,
                "{\"tasks\":[{\"taskArn\":\"" + TASK_ARN + "\",\"containerInstanceArn\":\"" + INSTANCE_ARN
                        + "\",\"lastStatus\":\"" + lastStatus + "\"" + extra + "}],\"failures\":[]}");
    }

    /** DescribeContainerInstances as the ECS API reference documents it: the container instance with its EC2 instance id. */
    private void givenInstanceBehindTask(String ec2Answer) {
        wire.answer(
                "DescribeContainerInstances",
                200,
                "{\"containerInstances\":[{\"containerInstanceArn\":\"" + INSTANCE_ARN
                        + "\",\"ec2InstanceId\":\"i-0abc123\"}],\"failures\":[]}");
        wire.server.stubFor(post(urlEqualTo("/ec2/"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(ec2Answer)));
    }

    /** EC2's Query API answer, as the EC2 API reference's DescribeInstances example shows it (namespace 2016-11-15). */
    private static String instanceWith(String addresses) {
        return """
                <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
                  <reservationSet><item><instancesSet><item>
                    <instanceId>i-0abc123</instanceId>
                    <privateIpAddress>10.0.1.17</privateIpAddress>
                    %s
                    <networkInterfaceSet><item><association><publicIp>198.51.100.99</publicIp></association></item></networkInterfaceSet>
                  </item></instancesSet></item></reservationSet>
                </DescribeInstancesResponse>""".formatted(addresses);
    }

    @ParameterizedTest
    // The lifecycle states of a task (Amazon ECS developer guide, "Amazon ECS task lifecycle"): on the way down its
    // containers may still hold the host port, so only STOPPED (and DELETED) count as over.
    @CsvSource({
        "PROVISIONING, PENDING",
        "PENDING, PENDING",
        "ACTIVATING, PENDING",
        "DEACTIVATING, STOPPING",
        "STOPPING, STOPPING",
        "DEPROVISIONING, STOPPING",
        "STOPPED, STOPPED",
        "DELETED, STOPPED"
    })
    void givenTaskInEcsStatus_whenAskingStatus_thenDomainPhase(String lastStatus, ContainerStatus.Phase phase) {
        givenTask(lastStatus, "");

        assertThat(wire.runtime(settings).status(TASK).phase()).isEqualTo(phase);
        assertThat(wire.onlyBody("DescribeTasks"))
                .isEqualTo(EcsWire.json("{\"cluster\":\"tenants\",\"tasks\":[\"" + TASK_ARN + "\"]}"));
    }

    @Test
    void givenStoppedTask_whenAskingStatus_thenStoppedWithEcsReason() {
        givenTask(
                "STOPPED",
                ",\"stopCode\":\"EssentialContainerExited\",\"stoppedReason\":\"Essential container in task exited\"");

        assertThat(wire.runtime(settings).status(TASK))
                .isEqualTo(ContainerStatus.stopped("Essential container in task exited"));
    }

    @Test
    void givenTaskWaitingForACapacityProvider_whenAskingStatus_thenPendingNamingWhereItWaits() {
        givenTask("PROVISIONING", "");

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.pending("PROVISIONING"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TaskFailedToStart: RESOURCE:MEMORY",
                "TaskFailedToStart: EMPTY CAPACITY PROVIDER",
                "RESOURCE:CPU"
            })
    void givenTaskStoppedBeforeItRanForLackOfCapacity_whenAskingStatus_thenNoCapacityWithEcsReason(String reason) {
        // A capacity provider queues the task in PROVISIONING and stops it when capacity never comes; ECS documents the
        // stop as "TaskFailedToStart: RESOURCE:*" (developer guide, "API failure reasons", DescribeTasks), and
        // "EMPTY CAPACITY PROVIDER" is the reason reported for a provider without instances.
        givenTask("STOPPED", ",\"stopCode\":\"TaskFailedToStart\",\"stoppedReason\":\"" + reason + "\"");

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.noCapacity(reason));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // ECS developer guide, "Troubleshoot Amazon ECS ResourceNotFoundException errors" (the agent on EC2).
                "Fetching secret data from AWS Secrets Manager in region us-east-1: secret"
                        + " arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-provisioner/tenants/acme-AbCdEf:"
                        + " ResourceNotFoundException: Secrets Manager can't find the specified secret.",
                // re:Post Knowledge Center, "ecs-unable-to-pull-secrets" (the same failure as Fargate words it).
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval"
                        + " failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed"
                        + " to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-provisioner/"
                        + "tenants/acme-AbCdEf from secrets manager: ResourceNotFoundException: Secrets Manager can't"
                        + " find the specified secret."
            })
    void givenTaskStoppedBeforeItRanBecauseItsSecretWasNotFoundYet_whenAskingStatus_thenStoppedToStartAgain(
            String reason) {
        givenTask(
                "STOPPED",
                ",\"stopCode\":\"TaskFailedToStart\",\"stoppedReason\":\"" + reason.replace("\"", "\\\"") + "\"");

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.failedToStart(reason));
    }

    @Test
    void givenTaskStoppedBecauseItsExecutionRoleMayNotReadTheSecret_whenAskingStatus_thenPlainlyStopped() {
        String reason = "Fetching secret data from AWS Secrets Manager in region us-east-1: secret"
                + " arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-provisioner/tenants/acme-AbCdEf:"
                + " AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue";
        givenTask("STOPPED", ",\"stopCode\":\"TaskFailedToStart\",\"stoppedReason\":\"" + reason + "\"");

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.stopped(reason));
    }

    @Test
    void givenTaskThatFailedToStartForAnotherReason_whenAskingStatus_thenPlainlyStopped() {
        givenTask(
                "STOPPED",
                ",\"stopCode\":\"TaskFailedToStart\",\"stoppedReason\":\"CannotPullContainerError: not found\"");

        assertThat(wire.runtime(settings).status(TASK))
                .isEqualTo(ContainerStatus.stopped("CannotPullContainerError: not found"));
    }

    @Test
    void givenTaskThatRanBeforeItStopped_whenAskingStatus_thenPlainlyStoppedWhateverTheReason() {
        givenTask(
                "STOPPED",
                ",\"stopCode\":\"TaskFailedToStart\",\"startedAt\":1764000000,"
                        + "\"stoppedReason\":\"RESOURCE:MEMORY\"");

        assertThat(wire.runtime(settings).status(TASK).noCapacity()).isFalse();
    }

    @Test
    void givenTaskEcsNoLongerKnows_whenAskingStatus_thenGone() {
        wire.answer(
                "DescribeTasks",
                200,
                "{\"tasks\":[],\"failures\":[{\"arn\":\"" + TASK_ARN + "\",\"reason\":\"MISSING\"}]}");

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.gone());
    }

    @Test
    void givenRunningTaskAndConfiguredHost_whenAskingStatus_thenThatHostWithoutAskingWhereTheTaskRuns() {
        givenTask("RUNNING", "");

        ContainerStatus status = wire.runtime(settings.withPublicHost(Ipv4Address.of("203.0.113.7")))
                .status(TASK);

        assertThat(status).isEqualTo(ContainerStatus.running(Optional.of(Ipv4Address.of("203.0.113.7"))));
        assertThat(wire.requests("DescribeContainerInstances")).isEmpty();
        wire.server.verify(exactly(0), postRequestedFor(urlEqualTo("/ec2/")));
    }

    @Test
    void givenRunningTaskOnACluster_whenAskingStatus_thenPublicAddressOfTheInstanceBehindIt() {
        givenTask("RUNNING", "");
        givenInstanceBehindTask(instanceWith("<ipAddress>198.51.100.23</ipAddress>"));

        ContainerStatus status = wire.runtime(settings).status(TASK);

        assertThat(status).isEqualTo(ContainerStatus.running(Optional.of(Ipv4Address.of("198.51.100.23"))));
        assertThat(wire.onlyBody("DescribeContainerInstances"))
                .isEqualTo(EcsWire.json("{\"cluster\":\"tenants\",\"containerInstances\":[\"" + INSTANCE_ARN + "\"]}"));
        wire.server.verify(
                exactly(1),
                postRequestedFor(urlEqualTo("/ec2/"))
                        .withHeader(
                                "Authorization",
                                matching(
                                        "AWS4-HMAC-SHA256 Credential=" + EcsWire.ACCESS_KEY
                                                + "/\\d{8}/us-east-1/ec2/aws4_request, SignedHeaders=\\S*host\\S*x-amz-date\\S*, Signature=[0-9a-f]{64}"))
                        .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded; charset=UTF-8"))
                        .withRequestBody(
                                equalTo("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0abc123")));
    }

    @Test
    void givenAddressAlreadyLookedUp_whenAskingStatusAgain_thenOnlyDescribeTasksGoesOverTheWire() {
        givenTask("RUNNING", "");
        givenInstanceBehindTask(instanceWith("<ipAddress>198.51.100.23</ipAddress>"));
        EcsContainerRuntime runtime = wire.runtime(settings);

        ContainerStatus first = runtime.status(TASK);
        ContainerStatus again = runtime.status(TASK);

        assertThat(again).isEqualTo(first);
        assertThat(wire.requests("DescribeTasks")).hasSize(2);
        assertThat(wire.requests("DescribeContainerInstances")).hasSize(1);
        wire.server.verify(exactly(1), postRequestedFor(urlEqualTo("/ec2/")));
    }

    @Test
    void givenInstanceWithoutPublicAddress_whenAskingStatus_thenRunningWithoutHost() {
        givenTask("RUNNING", "");
        givenInstanceBehindTask(instanceWith(""));

        assertThat(wire.runtime(settings).status(TASK)).isEqualTo(ContainerStatus.running(Optional.empty()));
    }

    @Test
    void givenEc2Throttling_whenAskingStatus_thenRetryable() {
        givenTask("RUNNING", "");
        wire.answer("DescribeContainerInstances", 200, "{\"containerInstances\":[{\"ec2InstanceId\":\"i-0abc123\"}]}");
        wire.server.stubFor(
                post(urlEqualTo("/ec2/"))
                        .willReturn(
                                aResponse()
                                        .withStatus(503)
                                        .withBody(
                                                "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors></Response>")));

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).status(TASK));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("i-0abc123").contains("RequestLimitExceeded");
    }

    @Test
    void givenEc2RefusesThePermission_whenAskingStatus_thenNonRetryable() {
        givenTask("RUNNING", "");
        wire.answer("DescribeContainerInstances", 200, "{\"containerInstances\":[{\"ec2InstanceId\":\"i-0abc123\"}]}");
        wire.server.stubFor(
                post(urlEqualTo("/ec2/"))
                        .willReturn(
                                aResponse()
                                        .withStatus(403)
                                        .withBody(
                                                "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized.</Message></Error></Errors></Response>")));

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class, () -> wire.runtime(settings).status(TASK));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("UnauthorizedOperation");
    }

    @ParameterizedTest
    // StopTask's reason "appears in subsequent DescribeTasks API operations on this task" (StopTask API reference), so
    // each stop says why it was asked for, not "deprovisioned" for all.
    @CsvSource({
        "DEPROVISION, tenant-provisioner: tenant acme: tenant deprovisioned",
        "SUSPEND, tenant-provisioner: tenant acme: tenant suspended",
        "RESTART, tenant-provisioner: tenant acme: restarting the tenant's container",
        "START_DEADLINE, tenant-provisioner: tenant acme: task did not run within the start deadline",
        "READY_DEADLINE, tenant-provisioner: tenant acme: link did not answer within the ready deadline",
        "ABANDONED, tenant-provisioner: tenant acme: task belongs to no current tenant"
    })
    void givenRunningTask_whenStoppingForAReason_thenStopTaskNamesTheTenantAndThatReason(
            StopReason reason, String sent) {
        wire.answer(
                "StopTask",
                200,
                "{\"task\":{\"taskArn\":\"" + TASK_ARN
                        + "\",\"lastStatus\":\"RUNNING\",\"desiredStatus\":\"STOPPED\"}}");

        wire.runtime(settings).stop(TASK, TenantId.of("acme"), reason);

        wire.server.verify(
                exactly(1),
                EcsWire.ecsRequest("StopTask")
                        .withRequestBody(equalToJson("{\"cluster\":\"tenants\",\"task\":\"" + TASK_ARN
                                + "\",\"reason\":\"" + sent + "\"}")));
    }

    @Test
    void givenTaskEcsDoesNotKnow_whenStopping_thenSucceeds() {
        wire.answerError("StopTask", 400, "InvalidParameterException", "The referenced task was not found.");

        wire.runtime(settings).stop(TASK, TenantId.of("acme"), StopReason.DEPROVISION);

        assertThat(wire.requests("StopTask")).hasSize(1);
    }

    @Test
    void givenMalformedTaskId_whenStopping_thenNonRetryableError() {
        wire.answerError("StopTask", 400, "InvalidParameterException", "Task Identifier is invalid");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class,
                () -> wire.runtime(settings).stop(TASK, TenantId.of("acme"), StopReason.DEPROVISION));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("Task Identifier is invalid");
    }

    @Test
    void givenServerErrors_whenStopping_thenRetryableAfterThreeAttempts() {
        wire.answerError("StopTask", 500, "ServerException", "internal error");

        InfrastructureException failure = catchThrowableOfType(
                InfrastructureException.class,
                () -> wire.runtime(settings).stop(TASK, TenantId.of("acme"), StopReason.DEPROVISION));

        assertThat(failure.retryable()).isTrue();
        assertThat(wire.requests("StopTask")).hasSize(EcsClients.ATTEMPTS);
    }
}
