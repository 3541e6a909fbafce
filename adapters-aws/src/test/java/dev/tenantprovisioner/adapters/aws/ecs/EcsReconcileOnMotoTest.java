package dev.tenantprovisioner.adapters.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.ReconcileContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on moto's ECS and EC2 (a second implementation of the APIs, see {@link MotoEcs}), with the registry on
 * moto's DynamoDB: a task stopped by hand (StopTask from outside, as in the console) is the drift. Where moto is not
 * ECS for listing (moto 5.2.1, {@code moto/ecs/models.py}): its ListTasks reads neither {@code maxResults} nor
 * {@code nextToken} and answers every match in one page, so paging is covered on the WireMock fake
 * ({@link EcsReconcileTest}); it has no {@code desiredStatus} default (ECS: {@code RUNNING}), which the adapter sends
 * anyway; its DescribeTasks has no limit of 100 and reports no {@code MISSING} failures.
 */
class EcsReconcileOnMotoTest extends ReconcileContract {

    private static MotoServer moto;
    private MotoEcs cluster;

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
        // The cluster first: setting it up resets moto's state, tables included.
        cluster = MotoEcs.hostNetwork(moto);
        return MotoTables.registry(moto, PortPool.range(3000, 3999), clock);
    }

    @Override
    protected ContainerRuntime newRuntime() {
        return cluster.runtime(cluster.settings());
    }

    @AfterEach
    void closeClients() {
        cluster.close();
    }

    @Override
    protected void givenRunning(TaskId task) {
        // moto starts tasks in RUNNING at once.
    }

    @Override
    protected void givenStoppedBehindTheBack(TaskId task) {
        cluster.ecs()
                .stopTask(r -> r.cluster(MotoEcs.CLUSTER).task(task.value()).reason("stopped by hand in the console"));
    }

    @Override
    protected HostPort port(int n) {
        return HostPort.of(2999 + n);
    }

    @Test
    void givenTenantTasksAndATaskOfAnotherService_whenListingLiveTasks_thenOnlyTheTenantsAreListedFromTheirTags() {
        ContainerRuntime runtime = cluster.runtime(cluster.settings());
        runtime.start(new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g1-r0"));
        cluster.ecs()
                .runTask(r -> r.cluster(MotoEcs.CLUSTER)
                        .taskDefinition(MotoEcs.FAMILY)
                        .startedBy("ecs-svc/1"));

        List<LiveTask> live = runtime.liveTasks();

        assertThat(live).singleElement().satisfies(task -> {
            assertThat(task.tenant()).isEqualTo(TenantId.of("acme"));
            assertThat(task.startToken()).contains("acme-g1-r0");
        });
    }
}
