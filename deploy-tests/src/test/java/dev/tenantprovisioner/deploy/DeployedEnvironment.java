package dev.tenantprovisioner.deploy;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's environment as Lambda would hand it over: parameters at their defaults (or as a test sets them),
 * conditions evaluated from them, resource references as CloudFormation resolves them.
 */
final class DeployedEnvironment {

    /** Values Lambda sets itself, as in a deployed function. */
    static final Map<String, String> SET_BY_LAMBDA = Map.of("AWS_REGION", "eu-west-1");

    /** Parameters that have no default: what a deployer would type. */
    private static final Map<String, String> TYPED_AT_DEPLOY = Map.of(
            "MailFrom", "Acme <welcome@acme.dev>",
            "TenantImage", "public.ecr.aws/example/tenant-app:1",
            "LandingPageOrigin", "https://www.example.com");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9:.]+)}");

    private final SamTemplate template;
    private final Map<String, String> parameters;

    /** {@code parameters}: values a deployer chose, over the template's defaults. */
    DeployedEnvironment(SamTemplate template, Map<String, String> parameters) {
        this.template = template;
        this.parameters = parameters;
    }

    DeployedEnvironment(SamTemplate template) {
        this(template, Map.of());
    }

    Map<String, String> of(Map<String, Object> function) {
        Map<String, String> resolved = new LinkedHashMap<>();
        template.environment(function).forEach((name, value) -> resolved.put(name, resolve(name, value)));
        resolved.putAll(SET_BY_LAMBDA);
        return resolved;
    }

    /** A sample value of a valid shape for every secret; what {@link #sampleSecrets} reads. */
    static final String SAMPLE_SECRET = "sample-secret-0123456789abcdef";

    /**
     * The sample of the database password key, as the template's generated secret looks: 64 letters and digits,
     * valid base64.
     */
    static final String SAMPLE_KEY = "a".repeat(32) + "B0".repeat(16);

    static String sampleFor(String secretId) {
        return secretId.endsWith("database-password-key") ? SAMPLE_KEY : SAMPLE_SECRET;
    }

    /** Answers every secret id with {@link #SAMPLE_SECRET}, and records which ids were read. */
    static final class SampleSecrets implements dev.tenantprovisioner.lambda.wiring.SecretSource {
        final java.util.Set<String> read = new java.util.TreeSet<>();

        @Override
        public String read(String secretId) {
            read.add(secretId);
            return sampleFor(secretId);
        }
    }

    /** The environment as init leaves it: every {@code <NAME>_SECRET_ID} also as {@code NAME} with a sample value. */
    static Map<String, String> withSecretsRead(Map<String, String> environment) {
        Map<String, String> read = new LinkedHashMap<>(environment);
        environment.forEach((name, value) -> {
            if (name.endsWith("_SECRET_ID") && !value.isBlank()) {
                read.put(name.substring(0, name.length() - "_SECRET_ID".length()), sampleFor(value));
            }
        });
        return read;
    }

    /** A template value with every intrinsic this template uses resolved. */
    String resolve(String where, Object value) {
        if (!(value instanceof Tagged tagged)) {
            return String.valueOf(value);
        }
        switch (tagged.function()) {
            case "Ref":
                return reference((String) tagged.argument());
            case "Sub":
                return substitute(String.valueOf(tagged.argument()));
            case "If":
                List<Object> branches = SamTemplate.list(tagged.argument());
                return resolve(where, holds(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            default:
                throw new IllegalStateException(where + ": no sample value for " + tagged);
        }
    }

    /**
     * Whether a condition of the template holds for these parameters ({@code !Equals [a, b]}, {@code !Not [x]} and
     * {@code Condition: C}, as this template writes them).
     */
    boolean holds(String condition) {
        return evaluates(
                condition, SamTemplate.map(template.root(), "Conditions").get(condition));
    }

    private boolean evaluates(String where, Object expression) {
        if (expression instanceof Tagged not && not.function().equals("Not")) {
            return !evaluates(where, SamTemplate.list(not.argument()).get(0));
        }
        if (expression instanceof Tagged equals && equals.function().equals("Equals")) {
            List<Object> sides = SamTemplate.list(equals.argument());
            return resolve(where, sides.get(0)).equals(resolve(where, sides.get(1)));
        }
        if (expression instanceof Map<?, ?> reference && reference.containsKey("Condition")) {
            return holds(String.valueOf(reference.get("Condition")));
        }
        throw new IllegalStateException("condition " + where + " is not one this check understands: " + expression);
    }

    private String substitute(String text) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = name.startsWith("AWS::") ? pseudo(name) : reference(name);
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    private static String pseudo(String name) {
        return Map.of(
                        "AWS::Region",
                        "eu-west-1",
                        "AWS::AccountId",
                        "123456789012",
                        "AWS::Partition",
                        "aws",
                        "AWS::StackName",
                        "stack",
                        "AWS::URLSuffix",
                        "amazonaws.com")
                .getOrDefault(name, name);
    }

    private String reference(String name) {
        if (name.startsWith("AWS::")) {
            return pseudo(name);
        }
        Map<String, Object> parameter = SamTemplate.map(template.parameters(), name);
        if (!parameter.isEmpty()) {
            if (parameters.containsKey(name)) {
                return parameters.get(name);
            }
            Object fallback = parameter.containsKey("Default") ? parameter.get("Default") : TYPED_AT_DEPLOY.get(name);
            if (fallback == null) {
                throw new IllegalStateException(
                        "parameter " + name + " has no default: add what a deployer types to TYPED_AT_DEPLOY");
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
