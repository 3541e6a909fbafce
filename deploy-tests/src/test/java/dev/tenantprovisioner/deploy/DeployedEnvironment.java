package dev.tenantprovisioner.deploy;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A function's environment as Lambda would hand it over: parameters at their defaults, resource references
 * as CloudFormation resolves them, and secrets replaced by sample values of a valid shape.
 */
final class DeployedEnvironment {

    static final String SAMPLE_SECRET = "sample-secret-0123456789abcdef";
    static final Pattern SECRET_REFERENCE = Pattern.compile("\\{\\{resolve:secretsmanager:\\$\\{SecretName}:SecretString:[A-Z_]+}}");

    /** Values Lambda sets itself, as in a deployed function. */
    static final Map<String, String> SET_BY_LAMBDA = Map.of("AWS_REGION", "eu-west-1");

    /** Parameters that have no default: what a deployer would type. */
    private static final Map<String, String> TYPED_AT_DEPLOY = Map.of(
            "MailFrom", "Acme <welcome@acme.dev>",
            "TenantImage", "public.ecr.aws/example/tenant-app:1",
            "LandingPageOrigin", "https://www.example.com");

    private final SamTemplate template;
    private final boolean conditionsHold;

    /** {@code conditionsHold} picks the first branch of every {@code !If} (true) or the second (false). */
    DeployedEnvironment(SamTemplate template, boolean conditionsHold) {
        this.template = template;
        this.conditionsHold = conditionsHold;
    }

    Map<String, String> of(Map<String, Object> function) {
        Map<String, String> resolved = new LinkedHashMap<>();
        template.environment(function).forEach((name, value) -> resolved.put(name, resolve(name, value)));
        resolved.putAll(SET_BY_LAMBDA);
        return resolved;
    }

    private String resolve(String variable, Object value) {
        if (!(value instanceof Tagged tagged)) {
            return String.valueOf(value);
        }
        switch (tagged.function()) {
            case "Ref":
                return reference((String) tagged.argument());
            case "Sub":
                if (SECRET_REFERENCE.matcher(String.valueOf(tagged.argument())).matches()) {
                    return SAMPLE_SECRET;
                }
                throw new IllegalStateException(variable + ": only secret references are expected in !Sub, found " + tagged);
            case "If":
                List<Object> branches = SamTemplate.list(tagged.argument());
                return resolve(variable, conditionsHold ? branches.get(1) : branches.get(2));
            default:
                throw new IllegalStateException(variable + ": no sample value for " + tagged);
        }
    }

    private String reference(String name) {
        Map<String, Object> parameter = SamTemplate.map(template.parameters(), name);
        if (!parameter.isEmpty()) {
            Object fallback = parameter.containsKey("Default") ? parameter.get("Default") : TYPED_AT_DEPLOY.get(name);
            if (fallback == null) {
                throw new IllegalStateException("parameter " + name + " has no default: add what a deployer types to TYPED_AT_DEPLOY");
            }
            return String.valueOf(fallback);
        }
        String type = String.valueOf(template.resource(name).get("Type"));
        // What !Ref returns for each resource type the environment names.
        if (type.equals("AWS::ECS::TaskDefinition")) {
            return "arn:aws:ecs:eu-west-1:123456789012:task-definition/stack-tenant:1";
        }
        return "stack-" + name + "-1A2B3C4D5E6F";
    }
}
