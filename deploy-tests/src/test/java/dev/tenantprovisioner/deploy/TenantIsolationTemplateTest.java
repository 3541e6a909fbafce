package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's container must not reach the instance metadata service, where the container instance role's
 * credentials are (Amazon ECS developer guide, "Task IAM role": containers on EC2 "aren't prevented from accessing
 * the credentials that are supplied to the Amazon EC2 instance profile"), nor bind other tenants' ports. What keeps
 * it out, as the template deploys by default: bridge networking (a container has its own network namespace and only
 * its mapped port), IMDSv2 only with a response hop limit of 1 (EC2 user guide, "How Instance Metadata Service
 * Version 2 works": the PUT's answer does not survive the extra hop into a bridge network), and the DOCKER-USER
 * rule that drops traffic from Docker's bridge to 169.254.169.254 (ECS developer guide, "Task IAM role").
 */
class TenantIsolationTemplateTest {

    private static SamTemplate template;
    private static DeployedEnvironment defaults;

    @BeforeAll
    static void readTemplate() throws Exception {
        template = SamTemplate.atRepositoryRoot();
        defaults = new DeployedEnvironment(template);
    }

    @Test
    void givenDefaultParameters_thenTenantTasksUseBridgeNetworking() {
        Map<String, Object> task = SamTemplate.map(template.resource("TenantTaskDefinition"), "Properties");

        assertThat(defaults.resolve("NetworkMode", task.get("NetworkMode"))).isEqualTo("bridge");
        assertThat(defaults.resolve(
                        "ECS_NETWORK_MODE", template.environment(Map.of()).get("ECS_NETWORK_MODE")))
                .isEqualTo("bridge");
        Map<String, Object> container = SamTemplate.asMap(
                SamTemplate.list(task.get("ContainerDefinitions")).get(0));
        Tagged mappings = (Tagged) container.get("PortMappings");
        Map<String, Object> mapping = SamTemplate.asMap(
                SamTemplate.list(SamTemplate.list(mappings.argument()).get(1)).get(0));
        assertThat(defaults.resolve("ContainerPort", mapping.get("ContainerPort")))
                .isEqualTo(defaults.resolve(
                        "ECS_APP_PORT", template.environment(Map.of()).get("ECS_APP_PORT")));
    }

    @Test
    void givenTheContainerInstance_thenMetadataNeedsATokenWhoseAnswerCannotLeaveTheHost() {
        Map<String, Object> options = SamTemplate.map(
                SamTemplate.map(
                        SamTemplate.map(template.resource("LaunchTemplate"), "Properties"), "LaunchTemplateData"),
                "MetadataOptions");

        assertThat(options.get("HttpTokens")).isEqualTo("required");
        assertThat(options.get("HttpPutResponseHopLimit")).isEqualTo(1);
    }

    @Test
    void givenTheContainerInstance_thenItsBootDropsBridgeTrafficToTheMetadataService() {
        Map<String, Object> data = SamTemplate.map(
                SamTemplate.map(template.resource("LaunchTemplate"), "Properties"), "LaunchTemplateData");
        Tagged sub = (Tagged) SamTemplate.map(data, "UserData").get("Fn::Base64");
        String script = String.valueOf(sub.argument());

        assertThat(script)
                .contains(
                        "iptables --insert DOCKER-USER 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP");
    }

    @Test
    void givenTheContainerInstance_thenTheMetadataRuleIsSavedAfterItIsAddedSoItSurvivesAReboot() {
        // ECS developer guide, "Task IAM role"
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html):
        // "You must save this iptables rule on your Amazon EC2 instance for it to survive a reboot. When using the
        // Amazon ECS-optimized AMI, you can use the following command": iptables-save into /etc/sysconfig/iptables and
        // the iptables service enabled, from the iptables-services package.
        Map<String, Object> data = SamTemplate.map(
                SamTemplate.map(template.resource("LaunchTemplate"), "Properties"), "LaunchTemplateData");
        List<String> lines = String.valueOf(
                        ((Tagged) SamTemplate.map(data, "UserData").get("Fn::Base64")).argument())
                .lines()
                .map(String::trim)
                .filter(line -> !line.startsWith("#"))
                .toList();

        int rule = lines.indexOf(
                "iptables --insert DOCKER-USER 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP");
        int install = lines.indexOf("yum install -y iptables-services");
        int save = lines.indexOf("iptables-save > /etc/sysconfig/iptables");
        int service = lines.indexOf("systemctl enable --now iptables");
        assertThat(rule).isNotNegative();
        assertThat(install).as("the service's package").isNotNegative();
        assertThat(save).as("saved after the rule is in").isGreaterThan(rule);
        assertThat(service).as("restored at boot from what was saved").isGreaterThan(Math.max(save, install));
    }

    @Test
    void givenTheDefaults_thenTheProvisionerMayRegisterOnlyItsOwnPerPortAndPerTenantDefinitions() {
        List<Object> statements = SamTemplate.list(
                SamTemplate.map(SamTemplate.map(template.resource("ProvisionerPolicy"), "Properties"), "PolicyDocument")
                        .get("Statement"));

        assertThat(statements).anySatisfy(statement -> {
            Map<String, Object> body = SamTemplate.asMap(statement);
            assertThat(body.get("Action")).isEqualTo("ecs:RegisterTaskDefinition");
            assertThat(SamTemplate.list(body.get("Resource")).stream()
                            .map(resource -> defaults.resolve("Resource", resource))
                            .toList())
                    .containsExactly(
                            "arn:aws:ecs:eu-west-1:123456789012:task-definition/stack-tenant-port-*:*",
                            "arn:aws:ecs:eu-west-1:123456789012:task-definition/stack-tenant-tenant-*:*");
        });
    }

    @Test
    void givenTheDefaults_thenTheProvisionerMayMakeEverySecretsManagerCallOfTenantsSecretsAndOnlyOnThem() {
        List<Object> statements = SamTemplate.list(
                SamTemplate.map(SamTemplate.map(template.resource("ProvisionerPolicy"), "Properties"), "PolicyDocument")
                        .get("Statement"));

        // What the ECS adapter's TenantSecrets calls: describe first, create or put, restore a secret deleted with a
        // recovery window, move AWSCURRENT back to an older value, tag, delete at deprovision.
        assertThat(statements).anySatisfy(statement -> {
            Map<String, Object> body = SamTemplate.asMap(statement);
            assertThat(SamTemplate.list(body.get("Action")))
                    .containsExactlyInAnyOrder(
                            "secretsmanager:CreateSecret",
                            "secretsmanager:PutSecretValue",
                            "secretsmanager:DeleteSecret",
                            "secretsmanager:DescribeSecret",
                            "secretsmanager:TagResource",
                            "secretsmanager:RestoreSecret",
                            "secretsmanager:UpdateSecretVersionStage");
            assertThat(defaults.resolve("Resource", body.get("Resource")))
                    .isEqualTo("arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenant-provisioner/tenants/*");
        });
    }

    @Test
    void givenTheDefaults_thenTheProvisionerMayListAndDescribeTheClustersContainerInstancesOnly() {
        List<Object> statements = SamTemplate.list(
                SamTemplate.map(SamTemplate.map(template.resource("ProvisionerPolicy"), "Properties"), "PolicyDocument")
                        .get("Statement"));

        // A task queued by the capacity provider is checked against each instance's reserved host ports.
        assertThat(statements).anySatisfy(statement -> {
            Map<String, Object> body = SamTemplate.asMap(statement);
            assertThat(body.get("Action")).isEqualTo("ecs:ListContainerInstances");
            assertThat(body.get("Resource")).isEqualTo(new Tagged("GetAtt", "Cluster.Arn"));
        });
        assertThat(statements).anySatisfy(statement -> {
            Map<String, Object> body = SamTemplate.asMap(statement);
            assertThat(body.get("Action")).isEqualTo("ecs:DescribeContainerInstances");
            assertThat(defaults.resolve("Resource", body.get("Resource")))
                    .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:container-instance/stack-Cluster-1A2B3C4D5E6F/*");
        });
    }

    @Test
    void givenTheDefaults_thenOnlyTheTasksExecutionRoleReadsTenantsSecretsAndTheAppsOwnRoleReadsNothing() {
        Map<String, Object> execution = SamTemplate.map(template.resource("TenantExecutionRole"), "Properties");
        Map<String, Object> statement = SamTemplate.asMap(SamTemplate.list(SamTemplate.map(
                                SamTemplate.asMap(SamTemplate.list(execution.get("Policies"))
                                        .get(0)),
                                "PolicyDocument")
                        .get("Statement"))
                .get(0));

        assertThat(statement.get("Action")).isEqualTo("secretsmanager:GetSecretValue");
        assertThat(defaults.resolve("Resource", statement.get("Resource")))
                .isEqualTo("arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenant-provisioner/tenants/*");
        assertThat(SamTemplate.map(template.resource("TenantTaskRole"), "Properties"))
                .doesNotContainKeys("Policies", "ManagedPolicyArns");
    }
}
