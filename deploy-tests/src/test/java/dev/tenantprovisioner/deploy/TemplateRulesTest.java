package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template's Rules, evaluated as CloudFormation does before it creates anything (CloudFormation user guide,
 * "Rules section": a rule whose RuleCondition holds must have every Assert hold, or the stack is refused with the
 * AssertDescription), and checked against the configuration the functions read, so the two refuse the same thing.
 */
class TemplateRulesTest {

    private static SamTemplate template;

    @BeforeAll
    static void readTemplate() throws Exception {
        template = SamTemplate.atRepositoryRoot();
    }

    @Test
    void givenIdleSuspensionFromContainerInsightsWithHostNetworking_whenDeployed_thenTheStackAndTheSweepRefuseIt() {
        Map<String, String> parameters = Map.of(
                "IdleSuspendAfter", "90m", "TenantNetworkMode", "host", "IdleTrafficSource", "container-insights");

        List<String> refusals = refusals(parameters);

        // CloudWatch user guide, Container Insights ECS metrics: NetworkRxBytes "is available only for containers in
        // tasks using the awsvpc or bridge network modes".
        assertThat(refusals)
                .singleElement()
                .asString()
                .contains("IdleSuspendAfter", "TenantNetworkMode", "bridge", "NetworkRxBytes");
        assertThat(sweepConfiguration(parameters))
                .hasValueSatisfying(refusal -> assertThat(refusal.getMessage())
                        .contains("IDLE_SUSPEND_AFTER cannot be used with ECS_NETWORK_MODE=HOST"));
    }

    @Test
    void givenIdleSuspensionFromTheProxyOrInBridgeMode_whenDeployed_thenNoRuleRefusesAndTheSweepStarts() {
        for (Map<String, String> parameters : List.of(
                Map.of("IdleSuspendAfter", "90m"),
                Map.of("IdleSuspendAfter", "90m", "TenantNetworkMode", "bridge"),
                // The proxy's access log sees every visit in any network mode.
                Map.of("IdleSuspendAfter", "90m", "TenantNetworkMode", "host"),
                Map.of("IdleSuspendAfter", "90m", "IdleTrafficSource", "container-insights"),
                Map.of("TenantNetworkMode", "host"),
                Map.<String, String>of())) {
            assertThat(refusals(parameters)).as("rules for %s", parameters).isEmpty();
            assertThat(sweepConfiguration(parameters))
                    .as("configuration for %s", parameters)
                    .isEmpty();
        }
    }

    @Test
    void givenTheRules_thenEachHasAConditionTheseChecksCanEvaluateAndADescriptionPerAssertion() {
        Map<String, Object> rules = SamTemplate.map(template.root(), "Rules");

        assertThat(rules).isNotEmpty();
        rules.forEach((name, rule) -> SamTemplate.list(SamTemplate.asMap(rule).get("Assertions"))
                .forEach(assertion -> assertThat(SamTemplate.asMap(assertion).get("AssertDescription"))
                        .as(name)
                        .asString()
                        .isNotBlank()));
    }

    /** The AssertDescription of every assertion that fails for these parameters. */
    private static List<String> refusals(Map<String, String> parameters) {
        DeployedEnvironment deployed = new DeployedEnvironment(template, parameters);
        List<String> refused = new ArrayList<>();
        SamTemplate.map(template.root(), "Rules").forEach((name, definition) -> {
            Map<String, Object> rule = SamTemplate.asMap(definition);
            if (rule.containsKey("RuleCondition") && !holds(deployed, rule.get("RuleCondition"))) {
                return;
            }
            for (Object assertion : SamTemplate.list(rule.get("Assertions"))) {
                Map<String, Object> body = SamTemplate.asMap(assertion);
                if (!holds(deployed, body.get("Assert"))) {
                    refused.add(String.valueOf(body.get("AssertDescription")));
                }
            }
        });
        return refused;
    }

    /** The rule functions this template uses: Not, Equals, And, Or over parameter references. */
    private static boolean holds(DeployedEnvironment deployed, Object expression) {
        Tagged tagged = (Tagged) expression;
        List<Object> arguments = SamTemplate.list(tagged.argument());
        switch (tagged.function()) {
            case "Not":
                return !holds(deployed, arguments.get(0));
            case "And":
                return arguments.stream().allMatch(argument -> holds(deployed, argument));
            case "Or":
                return arguments.stream().anyMatch(argument -> holds(deployed, argument));
            case "Equals":
                return deployed.resolve("rule", arguments.get(0)).equals(deployed.resolve("rule", arguments.get(1)));
            default:
                throw new IllegalStateException("a rule function these checks do not evaluate: " + tagged);
        }
    }

    /** What the sweep function's init says of the environment these parameters give it: its refusal, if any. */
    private static Optional<Throwable> sweepConfiguration(Map<String, String> parameters) {
        Map<String, Object> sweep = SamTemplate.map(template.resource("SweepFunction"), "Properties");
        Map<String, String> environment = new DeployedEnvironment(template, parameters).of(sweep);
        return Optional.ofNullable(catchThrowable(() ->
                Bootstrap.modules(Bootstrap.Function.SWEEP, environment, new DeployedEnvironment.SampleSecrets())));
    }
}
