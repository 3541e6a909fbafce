package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS proxy in front of the tenants, as the template deploys it: only 80 and 443 open to the world, the tenants'
 * host ports closed to it and to the other containers on the instance, one Caddy per container instance (an ECS
 * daemon service, ECS developer guide, "Daemon scheduling strategy") that reads its routes from the API with a key
 * of its own, and, for an own domain, a wildcard record and a role that may write only the ACME challenge record.
 */
class ProxyTemplateTest {

    private static SamTemplate template;
    private static DeployedEnvironment defaults;

    @BeforeAll
    static void readTemplate() throws Exception {
        template = SamTemplate.atRepositoryRoot();
        defaults = new DeployedEnvironment(template);
    }

    private static Map<String, Object> properties(String resource) {
        return SamTemplate.map(template.resource(resource), "Properties");
    }

    private static String userData() {
        Map<String, Object> data = SamTemplate.map(properties("LaunchTemplate"), "LaunchTemplateData");
        return String.valueOf(((Tagged) SamTemplate.map(data, "UserData").get("Fn::Base64")).argument());
    }

    @Test
    void givenTheInstancesSecurityGroup_thenOnly80And443AreOpenAndNoTenantPort() {
        List<Object> ingress =
                SamTemplate.list(properties("InstanceSecurityGroup").get("SecurityGroupIngress"));

        assertThat(ingress).hasSize(2).allSatisfy(rule -> {
            Map<String, Object> body = SamTemplate.asMap(rule);
            assertThat(body.get("FromPort")).isEqualTo(body.get("ToPort"));
            assertThat(body.get("FromPort")).isIn(80, 443);
            assertThat(body.get("IpProtocol")).isEqualTo("tcp");
        });
        assertThat(ingress.stream().map(rule -> SamTemplate.asMap(rule).get("FromPort")))
                .containsExactlyInAnyOrder(80, 443);
    }

    @Test
    void givenTheInstancesBoot_thenContainersCannotReachTenantPortsOnTheHostNorEachOther() {
        String script = userData();

        assertThat(script)
                .contains("iptables --insert INPUT 1 --in-interface docker+ --protocol tcp"
                        + " --dport ${PortRangeFirst}:${PortRangeLast} --jump DROP")
                .contains("iptables --insert DOCKER-USER 1 --in-interface docker+ --out-interface docker+ --jump DROP");
        // Inserted last, so first in the chain: the agent's task credentials stay reachable from containers.
        assertThat(script.indexOf("--dport 51679 --jump ACCEPT"))
                .isGreaterThan(script.indexOf("--dport ${PortRangeFirst}:${PortRangeLast} --jump DROP"));
        assertThat(script).contains("echo \"$host\" > /etc/tenant-proxy/public-ipv4");
    }

    @Test
    void givenTheProxy_thenOneCaddyPerInstanceInTheHostsNetworkReadingItsRoutesFromTheApi() {
        Map<String, Object> service = properties("ProxyService");
        assertThat(service).containsEntry("SchedulingStrategy", "DAEMON").containsEntry("LaunchType", "EC2");

        Map<String, Object> task = properties("ProxyTaskDefinition");
        assertThat(task.get("NetworkMode")).isEqualTo("host");
        Map<String, Object> container = SamTemplate.asMap(
                SamTemplate.list(task.get("ContainerDefinitions")).get(0));
        assertThat(defaults.resolve("Image", container.get("Image")))
                .isEqualTo("public.ecr.aws/docker/library/caddy:2.11");
        String command = defaults.resolve(
                "Command", SamTemplate.list(container.get("Command")).get(0));
        assertThat(command)
                .contains("TENANT_PROXY_CONFIG_URL=\"https://stack-HttpApi-1A2B3C4D5E6F.execute-api.eu-west-1"
                        + ".amazonaws.com/proxy/config?host=$(cat /etc/tenant-proxy/public-ipv4)\"")
                .contains("\"url\":\"{env.TENANT_PROXY_CONFIG_URL}\"")
                .contains("\"x-api-key\":[\"{env.TENANT_PROXY_KEY}\"]")
                .contains("\"disabled\":true")
                .contains("exec caddy run --config /config/bootstrap.json");
        assertThat(SamTemplate.asMap(SamTemplate.list(container.get("Secrets")).get(0)))
                .containsEntry("Name", "TENANT_PROXY_KEY");
        // The task gets the secret the template makes, which is the one the API function reads the proxies' keys from.
        assertThat(SamTemplate.asMap(SamTemplate.list(container.get("Secrets")).get(0))
                        .get("ValueFrom"))
                .isEqualTo(new Tagged("Ref", "ProxyKey"));
        assertThat(defaults.resolve("Name", properties("ProxyKey").get("Name")))
                .isEqualTo(defaults.resolve(
                        "PROXY_KEYS_SECRET_ID", apiEnvironment().get("PROXY_KEYS_SECRET_ID")))
                .isEqualTo("tenant-provisioner/proxy-key");
    }

    @Test
    void givenTheApiFunction_thenItReadsTheProxysKeyAndServesItsRoute() {
        assertThat(apiEnvironment()).containsKey("PROXY_KEYS_SECRET_ID");
        Map<String, Object> api =
                template.resourcesOfType("AWS::Serverless::Function").get("HttpApiFunction");
        assertThat(SamTemplate.map(api, "Events")).containsKey("ProxyConfig");
        Map<String, Object> worker =
                template.resourcesOfType("AWS::Serverless::Function").get("EcsTaskStateFunction");
        assertThat(template.environment(worker)).doesNotContainKey("PROXY_KEYS_SECRET_ID");
    }

    @Test
    void givenTheTaskEvents_thenTheyWaitForTheLinkWithinTheirTimeout() {
        Map<String, Object> worker =
                template.resourcesOfType("AWS::Serverless::Function").get("EcsTaskStateFunction");
        String wait =
                defaults.resolve("READY_WAIT", template.environment(worker).get("READY_WAIT"));
        int seconds = Integer.parseInt(wait.replace("s", ""));

        assertThat(seconds).isPositive();
        assertThat((Integer) template.functionProperty(worker, "Timeout")).isGreaterThan(seconds + 10);
    }

    @Test
    void givenTheProxysRoles_thenItsTasksReadOnlyItsKeyAndWithoutAnOwnDomainItMayCallNothing() {
        Map<String, Object> execution = properties("ProxyExecutionRole");
        Map<String, Object> statement = SamTemplate.asMap(SamTemplate.list(SamTemplate.map(
                                SamTemplate.asMap(SamTemplate.list(execution.get("Policies"))
                                        .get(0)),
                                "PolicyDocument")
                        .get("Statement"))
                .get(0));
        assertThat(statement.get("Action")).isEqualTo("secretsmanager:GetSecretValue");
        assertThat(defaults.resolve("Resource", statement.get("Resource"))).isEqualTo("stack-ProxyKey-1A2B3C4D5E6F");

        Tagged policies = (Tagged) properties("ProxyTaskRole").get("Policies");
        assertThat(policies.function()).isEqualTo("If");
        assertThat(SamTemplate.list(policies.argument()).get(0)).isEqualTo("HasTenantDomain");
        assertThat(defaults.holds("HasTenantDomain")).isFalse();
    }

    @Test
    void givenAnOwnDomain_thenTheProxyMayWriteOnlyTheAcmeChallengeTxtRecordOfItsZone() {
        Tagged policies = (Tagged) properties("ProxyTaskRole").get("Policies");
        Map<String, Object> policy = SamTemplate.asMap(
                SamTemplate.list(SamTemplate.list(policies.argument()).get(1)).get(0));
        List<Object> statements =
                SamTemplate.list(SamTemplate.map(policy, "PolicyDocument").get("Statement"));
        DeployedEnvironment own = new DeployedEnvironment(
                template, Map.of("TenantDomain", "tenants.example.com", "TenantDomainHostedZoneId", "Z0123456789ABC"));

        Map<String, Object> change = SamTemplate.asMap(statements.get(0));
        assertThat(change.get("Action")).isEqualTo("route53:ChangeResourceRecordSets");
        assertThat(own.resolve("Resource", change.get("Resource")))
                .isEqualTo("arn:aws:route53:::hostedzone/Z0123456789ABC");
        Map<String, Object> condition =
                SamTemplate.map(SamTemplate.map(change, "Condition"), "ForAllValues:StringEquals");
        assertThat(own.resolve(
                        "names",
                        SamTemplate.list(condition.get("route53:ChangeResourceRecordSetsNormalizedRecordNames"))
                                .get(0)))
                .isEqualTo("_acme-challenge.tenants.example.com");
        assertThat(condition.get("route53:ChangeResourceRecordSetsRecordTypes")).isEqualTo(List.of("TXT"));
        assertThat(own.holds("HasTenantDomain")).isTrue();
        assertThat(template.resource("TenantWildcardRecord")).containsEntry("Condition", "HasTenantDomain");
    }

    @Test
    void givenAnOwnDomain_thenTheTemplateRefusesItWithoutItsZoneItsFixedAddressOrAProxyThatCanAnswerDns01() {
        Map<String, Object> rule =
                SamTemplate.map(SamTemplate.map(template.root(), "Rules"), "TenantDomainNeedsItsParts");
        List<String> descriptions = SamTemplate.list(rule.get("Assertions")).stream()
                .map(assertion -> String.valueOf(SamTemplate.asMap(assertion).get("AssertDescription")))
                .toList();

        assertThat(descriptions)
                .anySatisfy(text -> assertThat(text).contains("TenantDomainHostedZoneId"))
                .anySatisfy(text -> assertThat(text).contains("PublicHost"))
                .anySatisfy(text -> assertThat(text).contains("route53"));
    }

    private static Map<String, Object> apiEnvironment() {
        return template.environment(
                template.resourcesOfType("AWS::Serverless::Function").get("HttpApiFunction"));
    }
}
