package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.ecs.ContainerInsightsTraffic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idle suspension on AWS: the template turns on what the sweep reads, and lets the sweep read only that. */
class IdleSuspensionTemplateTest {

    @Test
    void givenIdleSuspendAfter_thenContainerInsightsFollowsItAndTheSweepMayReadTheClustersPerformanceLogGroup()
            throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        Map<String, Object> clusterSetting =
                SamTemplate.asMap(SamTemplate.list(SamTemplate.map(template.resource("Cluster"), "Properties")
                                .get("ClusterSettings"))
                        .get(0));

        assertThat(clusterSetting).containsEntry("Name", "containerInsights");
        assertThat(clusterSetting.get("Value"))
                .isEqualTo(new CloudFormationYaml.Tagged(
                        "If", List.of("ContainerInsightsTraffic", "enabled", "disabled")));
        assertThat(SamTemplate.map(template.root(), "Conditions")
                        .get("IdleSuspension")
                        .toString())
                .contains("IdleSuspendAfter");
        assertThat(SamTemplate.map(template.root(), "Conditions")
                        .get("ContainerInsightsTraffic")
                        .toString())
                .as("Container Insights (billed) only when idle suspension reads it, not the proxy's log")
                .contains("IdleSuspension")
                .contains("container-insights");

        Map<String, Object> worker = SamTemplate.map(template.resource("WorkerFunctionRole"), "Properties");
        Map<String, Object> policy = SamTemplate.list(worker.get("Policies")).stream()
                .map(SamTemplate::asMap)
                .filter(p -> "idle-traffic".equals(p.get("PolicyName")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> statement = SamTemplate.asMap(
                SamTemplate.list(SamTemplate.map(policy, "PolicyDocument").get("Statement"))
                        .get(0));
        assertThat(statement).containsEntry("Action", "logs:FilterLogEvents");
        assertThat(statement.get("Resource").toString())
                .contains(":log-group:" + ContainerInsightsTraffic.logGroup("${Cluster}") + ":*")
                .contains(":log-group:${ProxyLogGroup}:*");
        Map<String, Object> sweep = SamTemplate.map(template.resource("SweepFunction"), "Properties");
        assertThat(sweep.get("Role").toString()).contains("WorkerFunctionRole");
    }
}
