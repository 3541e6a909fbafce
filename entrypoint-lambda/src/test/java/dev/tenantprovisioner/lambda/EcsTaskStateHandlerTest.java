package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsTaskStateHandlerTest {

    private final Fixture fixture = new Fixture();

    /**
     * An EventBridge "ECS Task State Change" event, trimmed to the fields AWS documents and we read (Amazon ECS
     * developer guide, "Amazon ECS task state change events").
     */
    static Map<String, Object> taskEvent(String taskArn, String startedBy, String lastStatus) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("clusterArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/tenants");
        detail.put("taskArn", taskArn);
        detail.put("taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/tenant-app:3");
        detail.put("lastStatus", lastStatus);
        detail.put("desiredStatus", "RUNNING");
        detail.put("launchType", "EC2");
        if (startedBy != null) {
            detail.put("startedBy", startedBy);
        }
        detail.put("containers", List.of(Map.of("name", "app", "lastStatus", lastStatus)));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", "3317b2af-7005-947d-b652-f55e762e571a");
        event.put("detail-type", "ECS Task State Change");
        event.put("source", "aws.ecs");
        event.put("account", "123456789012");
        event.put("time", "2026-11-29T10:00:00Z");
        event.put("region", "eu-west-1");
        event.put("resources", List.of(taskArn));
        event.put("detail", detail);
        return event;
    }

    @Test
    void givenAnAppThatDoesNotAnswerYet_whenItsTaskRuns_thenNoEmailUntilItsLinkAnswers() {
        fixture.adapters.runtime.startPending(true);
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        TaskId task = fixture.adapters
                .registry
                .find(TenantId.of("user-1"))
                .orElseThrow()
                .task()
                .orElseThrow();
        fixture.adapters.runtime.markRunning(task);
        fixture.adapters.runtime.silence(task);

        String first = fixture.ecsHandler().handleRequest(taskEvent(task.value(), "user-1", "RUNNING"), null);

        assertThat(first).isEqualTo("tenant running, notification pending");
        assertThat(fixture.adapters.mailer.attempts()).isZero();
        assertThat(fixture.adapters.logLines())
                .last()
                .asString()
                .contains("\"reason\":\"waiting for https://user-1.127-0-0-1.sslip.io to answer: nothing answers on"
                        + " port 3000\"");

        fixture.adapters.runtime.wake(task);
        String second = fixture.ecsHandler().handleRequest(taskEvent(task.value(), "user-1", "RUNNING"), null);

        assertThat(second).isEqualTo("tenant running, notification sent");
        assertThat(fixture.adapters.mailer.delivered()).singleElement();
    }

    @Test
    void givenTheScheduledWarmup_whenInvoked_thenAnsweredAtOnceWithoutLookingAtAnyTenant() {
        fixture.adapters.runtime.startPending(true);
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        int linesBefore = fixture.adapters.logLines().size();
        fixture.adapters.runtime.failNextCall(new dev.tenantprovisioner.domain.spi.InfrastructureException(
                "the warm-up must not reach the runtime", false));

        String answer = fixture.ecsHandler().handleRequest(Map.of("warmup", true), null);

        assertThat(answer).isEqualTo("warm");
        assertThat(fixture.adapters.logLines()).hasSize(linesBefore);
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.CONTAINER_STARTED);
    }

    @Test
    void givenPendingTenant_whenTaskRunningEventArrivesTwice_thenRunningAndOneEmail() {
        fixture.adapters.runtime.startPending(true);
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        TaskId task = fixture.adapters
                .registry
                .find(TenantId.of("user-1"))
                .orElseThrow()
                .task()
                .orElseThrow();
        fixture.adapters.runtime.markRunning(task);

        String first = fixture.ecsHandler().handleRequest(taskEvent(task.value(), "user-1", "RUNNING"), null);
        fixture.ecsHandler().handleRequest(taskEvent(task.value(), "user-1", "RUNNING"), null);

        assertThat(first).isEqualTo("tenant running, notification sent");
        var lease = fixture.adapters.registry.find(TenantId.of("user-1")).orElseThrow();
        assertThat(lease.state()).isEqualTo(TenantState.RUNNING);
        assertThat(lease.notification()).isEqualTo(NotificationState.SENT);
        assertThat(fixture.adapters.mailer.attempts()).isEqualTo(1);
    }

    @Test
    void givenRunningTenant_whenItsTaskStopsUnexpectedly_thenTenantShowsStopped() {
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        TaskId task = fixture.adapters
                .registry
                .find(TenantId.of("user-1"))
                .orElseThrow()
                .task()
                .orElseThrow();
        fixture.adapters.runtime.crash(task);

        fixture.ecsHandler().handleRequest(taskEvent(task.value(), "user-1", "STOPPED"), null);

        var lease = fixture.adapters.registry.find(TenantId.of("user-1")).orElseThrow();
        assertThat(lease.state()).isEqualTo(TenantState.STOPPED);
        assertThat(lease.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("container stopped"));
    }

    @Test
    void givenTaskOfNoTenant_whenEventArrives_thenIgnored() {
        assertThat(fixture.ecsHandler()
                        .handleRequest(
                                taskEvent("arn:aws:ecs:eu-west-1:1:task/tenants/abc", "ecs-svc/123", "RUNNING"), null))
                .startsWith("ignored");
        assertThat(fixture.ecsHandler()
                        .handleRequest(taskEvent("arn:aws:ecs:eu-west-1:1:task/tenants/abc", null, "RUNNING"), null))
                .startsWith("ignored");
        assertThat(fixture.ecsHandler()
                        .handleRequest(
                                taskEvent("arn:aws:ecs:eu-west-1:1:task/tenants/abc", "user-9", "RUNNING"), null))
                .startsWith("ignored");
        assertThat(fixture.ecsHandler()
                        .handleRequest(Map.of("detail-type", "EC2 Instance State-change Notification"), null))
                .startsWith("ignored");
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenLateEventForReplacedTask_whenItArrives_thenIgnored() {
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));
        TaskId old = fixture.adapters
                .registry
                .find(TenantId.of("user-1"))
                .orElseThrow()
                .task()
                .orElseThrow();
        fixture.adapters.runtime.crash(old);
        fixture.send(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")));

        String result = fixture.ecsHandler().handleRequest(taskEvent(old.value(), "user-1", "STOPPED"), null);

        assertThat(result).startsWith("ignored");
        assertThat(fixture.adapters
                        .registry
                        .find(TenantId.of("user-1"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TenantState.RUNNING);
    }
}
