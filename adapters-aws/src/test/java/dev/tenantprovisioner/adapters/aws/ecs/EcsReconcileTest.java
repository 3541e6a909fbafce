package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.usecase.ReconcileContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on the WireMock ECS fake (which lists and pages tasks as the ListTasks API reference says, see
 * {@link FakeEcs}), with the registry on moto's DynamoDB: drift injected by crashing, losing and orphaning the fake's
 * tasks.
 */
class EcsReconcileTest extends ReconcileContract {

    private static MotoServer moto;
    private final FakeEcs fake = new FakeEcs();
    private EcsWire wire;
    private EcsContainerRuntime runtime;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @Override
    protected PortRegistry newRegistry() {
        return MotoTables.registry(moto, PortPool.range(3000, 3999), clock);
    }

    @Override
    protected ContainerRuntime newRuntime() {
        wire = new EcsWire(fake);
        for (String operation : List.of("RunTask", "DescribeTasks", "StopTask", "ListTasks")) {
            wire.server.stubFor(
                    EcsWire.ecsCall(operation).willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        }
        runtime = wire.runtime(
                EcsSettings.of("tenants", "tenant-app", "app").withPublicHost(Ipv4Address.of("203.0.113.7")));
        return runtime;
    }

    @AfterEach
    void stopFake() {
        wire.close();
    }

    @Override
    protected void givenRunning(TaskId task) {
        fake.setStatus(task.value(), "RUNNING");
    }

    @Override
    protected void givenStoppedBehindTheBack(TaskId task) {
        fake.crash(task.value(), 137, "OutOfMemoryError: Container killed due to memory usage");
    }

    @Override
    protected HostPort port(int n) {
        return HostPort.of(2999 + n);
    }

    @Test
    void givenMoreTasksThanAPage_whenListingLiveTasks_thenEveryPageIsReadAndTasksAreDescribedAHundredAtATime() {
        for (int n = 0; n < 250; n++) {
            runtime.start(new ContainerSpec(TenantId.of("t-" + n), HostPort.of(3000 + n), "t-" + n + "-g1-r0"));
        }
        fake.givenOtherTasks(30);

        List<LiveTask> live = runtime.liveTasks();

        assertThat(live).hasSize(250);
        assertThat(live).extracting(task -> task.tenant().value()).doesNotHaveDuplicates();
        assertThat(live).allSatisfy(task -> assertThat(task.startToken()).contains(task.tenant() + "-g1-r0"));
        assertThat(fake.listTasksCalls()).as("280 tasks, 100 a page").isEqualTo(3);
        assertThat(fake.listTasksCallsWithToken()).isEqualTo(2);
        assertThat(wire.requests("ListTasks")).allSatisfy(sent -> {
            var body = EcsWire.json(sent.getBodyAsString());
            assertThat(body.path("desiredStatus").asText()).isEqualTo("RUNNING");
            assertThat(body.path("maxResults").asInt()).isEqualTo(100);
            assertThat(body.path("cluster").asText()).isEqualTo("tenants");
        });
        assertThat(wire.requests("DescribeTasks")).hasSize(3).allSatisfy(sent -> {
            var body = EcsWire.json(sent.getBodyAsString());
            assertThat(body.path("tasks").size()).isBetween(1, 100);
            assertThat(body.path("include").toString()).isEqualTo("[\"TAGS\"]");
        });
    }

    @Test
    void givenATaskEcsNoLongerKnows_whenReconciled_thenItIsACrashSayingTheTaskIsUnknown() {
        TaskId task = provisionedTask();
        fake.forget(task.value());

        var report = reconciler().reconcile();

        assertThat(report.actions())
                .singleElement()
                .satisfies(action -> assertThat(action.reason())
                        .isEqualTo("the runtime no longer runs task " + task
                                + ": container stopped: task unknown to the runtime"));
    }

    @Test
    void givenATaskWhoseInstanceWasTerminated_whenReconciled_thenItIsACrashWithEcsReason() {
        TaskId task = provisionedTask();
        fake.hostGone(task.value());

        var report = reconciler().reconcile();

        assertThat(report.actions())
                .singleElement()
                .satisfies(action -> assertThat(action.reason())
                        .isEqualTo("the runtime no longer runs task " + task
                                + ": container stopped: Host EC2 (instance i-0abc123) terminated."));
    }

    @Test
    void givenACrashedTask_whenAskingStatus_thenEcsReasonCarriesTheExitCodeAndTheContainerReason() {
        TaskId task = ((StartOutcome.Started)
                        runtime.start(new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g1-r0")))
                .task();
        fake.crash(task.value(), 137, "OutOfMemoryError: Container killed due to memory usage");

        var status = runtime.status(task);

        assertThat(status.reason())
                .contains("Essential container in task exited (exit code 137: OutOfMemoryError: Container killed due"
                        + " to memory usage)");
        assertThat(status.cleanExit()).isFalse();
    }

    @Test
    void givenATaskWhoseAppExitedWithSuccess_whenAskingStatus_thenACleanExit() {
        TaskId task = ((StartOutcome.Started)
                        runtime.start(new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g1-r0")))
                .task();
        fake.crash(task.value(), 0, null);

        assertThat(runtime.status(task).cleanExit()).isTrue();
    }
}
