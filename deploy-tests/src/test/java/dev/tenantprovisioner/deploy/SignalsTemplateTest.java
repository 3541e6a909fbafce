package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.http.RequestLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template keeps the functions' logs for a while and alarms on the metrics the functions actually write. */
class SignalsTemplateTest {

    @Test
    void givenEachFunction_thenItsLogGroupIsCreatedWithARetention() throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        Map<String, Map<String, Object>> groups = template.resourcesOfType("AWS::Logs::LogGroup");

        for (String function :
                template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertThat(groups.values()).as("a log group for %s", function).anySatisfy(group -> {
                assertThat(group.get("LogGroupName").toString()).contains("/aws/lambda/${" + function + "}");
                assertThat(group.get("RetentionInDays").toString()).contains("LogRetentionDays");
            });
        }
    }

    @Test
    void givenTheAlarms_thenTheyWatchMetricsTheFunctionsEmitAndEveryFunctionsErrors() throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");

        List<Map<String, Object>> ours = alarms.values().stream()
                .filter(alarm -> RequestLog.NAMESPACE.equals(alarm.get("Namespace")))
                .toList();
        assertThat(ours)
                .extracting(alarm -> alarm.get("MetricName"))
                .containsExactlyInAnyOrder(RequestLog.FAILED, RequestLog.SWEEP_BACKLOG);
        assertThat(ours)
                .allSatisfy(alarm -> assertThat(alarm.get("Dimensions").toString())
                        .contains("Name=service")
                        .contains("Value=tenant-provisioner"));
        for (String function :
                template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertThat(alarms.values()).as("an Errors alarm on %s", function).anySatisfy(alarm -> {
                assertThat(alarm).containsEntry("Namespace", "AWS/Lambda").containsEntry("MetricName", "Errors");
                assertThat(alarm.get("Dimensions").toString()).contains(function);
            });
        }
    }
}
