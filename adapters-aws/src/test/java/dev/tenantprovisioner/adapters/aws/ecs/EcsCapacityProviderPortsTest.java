package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host port taken on every container instance, in bridge mode: launch type EC2 answers RESOURCE:PORTS, while a
 * capacity provider queues the task in PROVISIONING (see {@link FakeEcs}); either way the tenant is told the port is in
 * use, so it moves on to another port instead of waiting for the start deadline and failing for "no capacity".
 */
class EcsCapacityProviderPortsTest {

    private static final String BASE = """
            {
              "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/tenant-app:1",
              "family": "tenant-app",
              "revision": 1,
              "networkMode": "bridge",
              "requiresCompatibilities": ["EC2"],
              "containerDefinitions": [
                {"name": "app", "image": "public.ecr.aws/example/tenant-app:1", "essential": true,
                 "memoryReservation": 128,
                 "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]}
              ]
            }""";

    private final FakeEcs fake = new FakeEcs();
    private EcsWire wire;
    private final EcsSettings bridge =
            EcsSettings.of("tenants", "tenant-app", "app").withBridge(8080);
    private final EcsSettings throughACapacityProvider =
            bridge.withCapacityProviders(List.of(new EcsSettings.CapacityProvider("tenants-asg", 1, 0)));

    @BeforeEach
    void startFakeEcs() {
        wire = new EcsWire(fake);
        for (String operation : List.of(
                "RunTask",
                "DescribeTasks",
                "StopTask",
                "RegisterTaskDefinition",
                "DescribeTaskDefinition",
                "ListContainerInstances",
                "DescribeContainerInstances")) {
            wire.server.stubFor(
                    EcsWire.ecsCall(operation).willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        }
        fake.givenTaskDefinition(BASE);
    }

    @AfterEach
    void stopFakeEcs() {
        wire.close();
    }

    private static ContainerSpec aSpec(String tenant, int port) {
        return new ContainerSpec(TenantId.of(tenant), HostPort.of(port), tenant + "-g1-r0");
    }

    @Test
    void givenHostPortTakenOnEveryInstance_whenStartingThroughACapacityProvider_thenPortInUseAndTheQueuedTaskStopped() {
        fake.reserveHostPort(3000);
        EcsContainerRuntime runtime = wire.runtime(throughACapacityProvider);

        StartOutcome outcome = runtime.start(aSpec("acme", 3000));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        StartOutcome.PortInUse.class,
                        inUse -> assertThat(inUse.reason())
                                .contains("host port 3000 is reserved on every container instance"));
        String queued = fake.taskArns().get(0);
        ContainerStatus status = runtime.status(TaskId.of(queued));
        assertThat(status.phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(status.reason())
                .hasValueSatisfying(reason ->
                        assertThat(reason).startsWith("tenant-provisioner: tenant acme: host port 3000 is reserved"));
        assertThat(wire.requests("DescribeContainerInstances")).hasSize(1);
    }

    @Test
    void givenTheQueuedTaskPlacedJustAfterRunTaskAnswered_whenItsOwnPortIsSeenReserved_thenStartedNotBlamedOnThePort() {
        // The instance then lists the port, reserved by this very task: the task is asked again after the instances,
        // and found on one.
        fake.noCapacity();
        fake.placesQueuedTasksLate();
        EcsContainerRuntime runtime = wire.runtime(throughACapacityProvider);

        StartOutcome outcome = runtime.start(aSpec("acme", 3000));

        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        assertThat(wire.requests("StopTask")).isEmpty();
        assertThat(wire.requests("DescribeContainerInstances")).hasSize(1);
    }

    @Test
    void givenTheTenantMovedOnToAFreePort_whenStartingThroughACapacityProvider_thenItsTaskIsPlaced() {
        fake.reserveHostPort(3000);
        EcsContainerRuntime runtime = wire.runtime(throughACapacityProvider);
        runtime.start(aSpec("acme", 3000));

        StartOutcome outcome = runtime.start(new ContainerSpec(TenantId.of("acme"), HostPort.of(3001), "acme-g1-r1"));

        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        TaskId task = ((StartOutcome.Started) outcome).task();
        assertThat(runtime.status(task)).isEqualTo(ContainerStatus.pending("PENDING"));
    }

    @Test
    void givenAnotherTenantsTaskStillOnThePort_whenStartingThroughACapacityProvider_thenPortInUse() {
        EcsContainerRuntime runtime = wire.runtime(throughACapacityProvider);
        assertThat(runtime.start(aSpec("first", 3000))).isInstanceOf(StartOutcome.Started.class);

        StartOutcome second = runtime.start(aSpec("second", 3000));

        assertThat(second).isInstanceOf(StartOutcome.PortInUse.class);
    }

    @Test
    void givenNoRoomButThePortFree_whenStartingThroughACapacityProvider_thenStartedToWaitForCapacity() {
        fake.noCapacity();
        EcsContainerRuntime runtime = wire.runtime(throughACapacityProvider);

        StartOutcome outcome = runtime.start(aSpec("acme", 3000));

        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        assertThat(runtime.status(((StartOutcome.Started) outcome).task()))
                .isEqualTo(ContainerStatus.pending("PROVISIONING"));
        assertThat(wire.requests("StopTask")).isEmpty();
    }

    @Test
    void givenHostPortTakenOnEveryInstance_whenStartingWithLaunchTypeEc2_thenPortInUseAsEcsAnswersIt() {
        fake.reserveHostPort(3000);

        StartOutcome outcome = wire.runtime(bridge).start(aSpec("acme", 3000));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        StartOutcome.PortInUse.class,
                        inUse -> assertThat(inUse.reason()).startsWith("RESOURCE:PORTS"));
        assertThat(wire.requests("ListContainerInstances")).isEmpty();
    }
}
