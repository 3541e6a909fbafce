package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntimeContract;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ContainerRuntime contract, with the real EcsClient talking to a stateful fake ECS over HTTP. */
class EcsContainerRuntimeTest extends ContainerRuntimeContract
        implements ContainerRuntimeContract.QueuesStartsForCapacity {

    private final FakeEcs fake = new FakeEcs();
    private EcsWire wire;
    private EcsContainerRuntime runtime;

    @BeforeEach
    void startFakeEcs() {
        wire = new EcsWire(fake);
        wire.server.stubFor(EcsWire.ecsCall("RunTask").willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        wire.server.stubFor(
                EcsWire.ecsCall("DescribeTasks").willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        wire.server.stubFor(EcsWire.ecsCall("StopTask").willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        wire.server.stubFor(EcsWire.ecsCall("ListTasks").willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        runtime = wire.runtime(
                EcsSettings.of("tenants", "tenant-app", "app").withPublicHost(Ipv4Address.of("203.0.113.7")));
    }

    @AfterEach
    void stopFakeEcs() {
        wire.close();
    }

    @Override
    public ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected void givenNoCapacity() {
        fake.noCapacity();
    }

    @Override
    protected void givenRunning(TaskId task) {
        fake.setStatus(task.value(), "RUNNING");
    }

    @Override
    protected void givenStopped(TaskId task) {
        fake.setStatus(task.value(), "STOPPED");
    }

    @Override
    public void givenStartsQueuedForCapacity() {
        fake.noCapacity();
        runtime = wire.runtime(EcsSettings.of("tenants", "tenant-app", "app")
                .withPublicHost(Ipv4Address.of("203.0.113.7"))
                .withCapacityProviders(List.of(new EcsSettings.CapacityProvider("tenants-asg", 1, 0))));
    }

    @Override
    public void givenCapacityNeverCame(TaskId task) {
        fake.capacityNeverCame(task.value());
    }

    @Override
    protected TaskId unknownTask() {
        return TaskId.of("arn:aws:ecs:us-east-1:123456789012:task/tenants/0000000000000000000000000000dead");
    }

    @Test
    void givenStartedTask_whenStartingWithSameToken_thenEcsSawTheSameClientTokenAndStartedOneTask() {
        runtime.start(aSpec("acme", 3000));

        runtime.start(aSpec("acme", 3000));

        assertThat(wire.requests("RunTask"))
                .hasSize(2)
                .allSatisfy(sent -> assertThat(EcsWire.json(sent.getBodyAsString())
                                .path("clientToken")
                                .asText())
                        .isEqualTo("acme-g1-r0"));
        assertThat(fake.tasksStarted()).isEqualTo(1);
    }

    @Test
    void givenRunningTask_whenAskingStatus_thenHostIsTheConfiguredPublicHost() {
        TaskId task = ((StartOutcome.Started) runtime.start(aSpec("acme", 3000))).task();
        givenRunning(task);

        assertThat(runtime.status(task).host()).contains(Ipv4Address.of("203.0.113.7"));
    }
}
