package dev.tenantprovisioner.adapters.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Bridge mode's per-port task definitions on moto's ECS (RegisterTaskDefinition, DescribeTaskDefinition with tags,
 * RunTask of the copy), a second opinion on what {@link EcsBridgeModeTest} checks against the WireMock fake.
 */
class EcsBridgeModeOnMotoTest {

    private static MotoServer moto;
    private MotoEcs cluster;
    private EcsContainerRuntime runtime;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void freshCluster() {
        cluster = MotoEcs.bridgeNetwork(moto);
        runtime = cluster.runtime(cluster.settings().withBridge(MotoEcs.APP_PORT));
    }

    @AfterEach
    void closeClients() {
        cluster.close();
    }

    @Test
    void givenBridgeMode_whenStarting_thenTheTaskRunsACopyThatMapsTheTenantsHostPortToTheAppPort() {
        TaskId task = start("acme", 3000, "acme-g1-r0");

        String definition = taskDefinitionOf(task);
        DescribeTaskDefinitionResponse copy = cluster.ecs()
                .describeTaskDefinition(r -> r.taskDefinition(definition).include(TaskDefinitionField.TAGS));

        assertThat(copy.taskDefinition().family()).isEqualTo(MotoEcs.FAMILY + "-port-3000");
        assertThat(copy.taskDefinition().containerDefinitions())
                .singleElement()
                .extracting(ContainerDefinition::portMappings)
                .satisfies(mappings -> assertThat(mappings).singleElement().satisfies(mapping -> {
                    assertThat(mapping.hostPort()).isEqualTo(3000);
                    assertThat(mapping.containerPort()).isEqualTo(MotoEcs.APP_PORT);
                }));
        assertThat(copy.tags()).anySatisfy(tag -> {
            assertThat(tag.key()).isEqualTo(TaskDefinitionCopies.BASE_TAG);
            assertThat(tag.value()).endsWith(":task-definition/" + MotoEcs.FAMILY + ":1");
        });
    }

    @Test
    void givenACopyForThePort_whenTheTenantIsStartedAgain_thenTheCopyIsReusedAndOtherPortsGetTheirOwn() {
        TaskId first = start("acme", 3000, "acme-g1-r0");
        cluster.ecs().stopTask(r -> r.cluster(MotoEcs.CLUSTER).task(first.value()));

        TaskId again = start("acme", 3000, "acme-g1-r1");
        TaskId other = start("bob", 3001, "bob-g1-r0");

        assertThat(taskDefinitionOf(again)).isEqualTo(taskDefinitionOf(first));
        assertThat(cluster.ecs()
                        .listTaskDefinitions(r -> r.familyPrefix(MotoEcs.FAMILY + "-port-3000"))
                        .taskDefinitionArns())
                .as("one registration per port, however often it is started")
                .hasSize(1);
        assertThat(taskDefinitionOf(other)).endsWith(":task-definition/" + MotoEcs.FAMILY + "-port-3001:1");
    }

    private TaskId start(String tenant, int port, String token) {
        StartOutcome outcome = runtime.start(new ContainerSpec(TenantId.of(tenant), HostPort.of(port), token));
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        return ((StartOutcome.Started) outcome).task();
    }

    private String taskDefinitionOf(TaskId task) {
        return cluster.ecs()
                .describeTasks(r -> r.cluster(MotoEcs.CLUSTER).tasks(task.value()))
                .tasks()
                .get(0)
                .taskDefinitionArn();
    }
}
