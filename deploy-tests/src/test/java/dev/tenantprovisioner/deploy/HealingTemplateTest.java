package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.PortTable;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.lambda.SweepHandler;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Healing on AWS: the sweep runs often enough for a restart's backoff, the reconciler may list the cluster's tasks and
 * nothing else's, and DynamoDB's time to live is on the attribute tombstones carry.
 */
class HealingTemplateTest {

    private final SamTemplate template;

    HealingTemplateTest() throws Exception {
        template = SamTemplate.atRepositoryRoot();
    }

    private Map<String, Map<String, Object>> schedules(String function) {
        return SamTemplate.map(SamTemplate.map(template.resource(function), "Properties"), "Events").entrySet().stream()
                .filter(event ->
                        "Schedule".equals(SamTemplate.asMap(event.getValue()).get("Type")))
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        event -> SamTemplate.map(SamTemplate.asMap(event.getValue()), "Properties")));
    }

    @Test
    void givenTheSweep_thenAOneMinuteScheduleRunsTheRestartsPassAndTheFiveMinuteOneEverything() throws Exception {
        Map<String, Map<String, Object>> schedules = schedules("SweepFunction");

        assertThat(schedules.values())
                .anySatisfy(schedule -> {
                    assertThat(schedule).containsEntry("Schedule", "rate(1 minute)");
                    assertThat(Json.parse((String) schedule.get("Input")))
                            .isEqualTo(Map.of("pass", SweepHandler.RESTARTS_PASS));
                })
                .anySatisfy(schedule -> {
                    assertThat(schedule).containsEntry("Schedule", "rate(5 minutes)");
                    assertThat(schedule).doesNotContainKey("Input");
                });
    }

    @Test
    void givenTheProvisionersPolicy_thenListTasksIsAllowedOnlyOnTheStacksCluster() {
        List<Map<String, Object>> statements = SamTemplate.list(SamTemplate.map(
                                SamTemplate.map(template.resource("ProvisionerPolicy"), "Properties"), "PolicyDocument")
                        .get("Statement"))
                .stream()
                .map(SamTemplate::asMap)
                .toList();

        assertThat(statements)
                .filteredOn(
                        statement -> SamTemplate.list(statement.get("Action")).contains("ecs:ListTasks"))
                .singleElement()
                .satisfies(statement -> assertThat(
                                SamTemplate.map(statement, "Condition").toString())
                        .contains("ecs:cluster")
                        .contains("Cluster"));
    }

    @Test
    void givenThePortTable_thenItsTimeToLiveIsTheAttributeTombstonesAndSlotsCarry() {
        Map<String, Object> ttl = SamTemplate.map(
                SamTemplate.map(template.resource("PortTable"), "Properties"), "TimeToLiveSpecification");

        assertThat(ttl)
                .containsEntry("AttributeName", PortTable.EXPIRY_ATTRIBUTE)
                .containsEntry("Enabled", true);
    }
}
