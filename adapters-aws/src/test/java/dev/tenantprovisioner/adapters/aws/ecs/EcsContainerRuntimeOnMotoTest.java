package dev.tenantprovisioner.adapters.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntimeContract;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The ContainerRuntime contract on a second implementation of ECS and EC2: moto's server, which nobody here wrote
 * (see {@link MotoEcs} for the cluster and for where moto is not ECS). The real EcsClient sends every call; the host
 * address comes through the adapter's own signed EC2 Query call and XML reading. The contract tests that moto cannot
 * answer as ECS does are named in {@link MotoDeviations}, with what covers them instead.
 */
@ExtendWith(EcsContainerRuntimeOnMotoTest.MotoDeviations.class)
class EcsContainerRuntimeOnMotoTest extends ContainerRuntimeContract {

    private static MotoServer moto;
    private MotoEcs cluster;
    private EcsContainerRuntime runtime;

    /** Contract tests that moto 5.2.1 cannot answer as ECS does; each reason says what covers it instead. */
    static final class MotoDeviations implements ExecutionCondition {

        private static final Map<String, String> DEVIATIONS = Map.of(
                "givenStartedTask_whenStartingWithSameToken_thenSameTaskAndNoSecondContainer",
                "moto ignores RunTask's clientToken and starts a second task (ECS RunTask API reference: the token"
                        + " makes the call idempotent); EcsContainerRuntimeTest covers it on the WireMock fake",
                "givenNoRoom_whenStarting_thenNoCapacityWithReason",
                "moto answers a RunTask it cannot place with no task and no failure, where ECS names RESOURCE:*;"
                        + " EcsContainerRuntimeTest covers it on the fake, and this class checks what the adapter"
                        + " makes of moto's answer",
                "givenUnknownTask_whenStopping_thenSucceedsAndStopsNothingElse",
                "moto answers StopTask for an unknown task with a 500, where ECS answers InvalidParameterException"
                        + " 'The referenced task was not found.'; EcsContainerRuntimeTest covers it on the fake");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod()
                    .map(method -> DEVIATIONS.get(method.getName()))
                    .map(ConditionEvaluationResult::disabled)
                    .orElse(ConditionEvaluationResult.enabled("moto answers this as ECS does"));
        }
    }

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
        cluster = MotoEcs.hostNetwork(moto);
        runtime = cluster.runtime(cluster.settings());
    }

    @AfterEach
    void closeClients() {
        cluster.close();
    }

    @Override
    public ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected void givenNoCapacity() {
        // Fill the one instance: moto places tasks by memory, as ECS does.
        for (int started = 0; started < 10; started++) {
            if (cluster.ecs()
                    .runTask(r -> r.cluster(MotoEcs.CLUSTER).taskDefinition(MotoEcs.FAMILY))
                    .tasks()
                    .isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("moto kept placing tasks on a single instance");
    }

    @Override
    protected void givenRunning(TaskId task) {
        // moto starts tasks in RUNNING at once (see MotoEcs).
        assertThat(describe(task).lastStatus()).isEqualTo("RUNNING");
    }

    @Override
    protected void givenStopped(TaskId task) {
        cluster.ecs()
                .stopTask(r -> r.cluster(MotoEcs.CLUSTER).task(task.value()).reason("stopped by the test"));
    }

    @Override
    protected TaskId unknownTask() {
        return TaskId.of("arn:aws:ecs:us-east-1:123456789012:task/tenants/0000000000000000000000000000dead");
    }

    @Test
    void givenStart_whenMotoDescribesTheTask_thenItRunsTheTenantsDefinitionWithItsPortAndStartedBy() {
        TaskId task = ((StartOutcome.Started) runtime.start(aSpec("acme", 3000))).task();

        Task described = describe(task);

        assertThat(described.startedBy()).isEqualTo("acme");
        assertThat(described.taskDefinitionArn()).endsWith(":task-definition/" + MotoEcs.FAMILY + ":1");
        assertThat(described.overrides().containerOverrides()).singleElement().satisfies(override -> {
            assertThat(override.name()).isEqualTo(MotoEcs.CONTAINER);
            assertThat(override.environment().stream()
                            .collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value)))
                    .containsEntry("PORT", "3000")
                    .containsEntry("TENANT_ID", "acme");
        });
        assertThat(cluster.ecs()
                        .listTasks(r -> r.cluster(MotoEcs.CLUSTER).startedBy("acme"))
                        .taskArns())
                .containsExactly(task.value());
    }

    @Test
    void givenRunningTask_whenAskingStatus_thenTheHostIsTheInstancesPublicAddressFromEc2() {
        TaskId task = ((StartOutcome.Started) runtime.start(aSpec("acme", 3000))).task();

        ContainerStatus status = runtime.status(task);

        assertThat(status.phase()).isEqualTo(ContainerStatus.Phase.RUNNING);
        assertThat(status.host()).contains(cluster.publicAddress());
    }

    @Test
    void givenFullInstance_whenStarting_thenMotosSilentRefusalIsARetryableFailureNotAStart() {
        givenNoCapacity();

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> runtime.start(aSpec("acme", 3000)));

        // moto names no failure, so the adapter cannot tell "no room" from anything else: it reports a failure to
        // retry, and the lease stays at its checkpoint with its port (ECS itself names RESOURCE:MEMORY, see above).
        assertThat(failure.getMessage()).contains("started no task and named no failure");
        assertThat(failure.retryable()).isTrue();
    }

    private Task describe(TaskId task) {
        return cluster.ecs()
                .describeTasks(r -> r.cluster(MotoEcs.CLUSTER).tasks(task.value()))
                .tasks()
                .get(0);
    }
}
