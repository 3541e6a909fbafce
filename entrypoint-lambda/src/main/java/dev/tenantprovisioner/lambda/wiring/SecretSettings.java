package dev.tenantprovisioner.lambda.wiring;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Settings whose values are secret come from AWS Secrets Manager when {@code <NAME>_SECRET_ID} names a secret
 * (its name or ARN; the secret string is the value). They are read once, during init, so they never sit in the
 * function's configuration, where anyone allowed {@code lambda:GetFunctionConfiguration} would read them; each
 * function's role may read only the secrets that function uses. Under SnapStart the values read at init are part
 * of the (encrypted) snapshot: a rotated secret reaches the function with its next published version.
 */
final class SecretSettings {

    /** The settings that may come from Secrets Manager. */
    static final List<String> SECRET = List.of("API_KEYS", "STRIPE_WEBHOOK_SECRETS", "RESEND_API_KEY");
    static final String SUFFIX = "_SECRET_ID";
    static final String ENDPOINT = "SECRETSMANAGER_ENDPOINT";

    private SecretSettings() {
    }

    /**
     * The environment with every {@code <NAME>_SECRET_ID} replaced by the secret's value under {@code NAME}; problems
     * (both set, a secret that cannot be read) are recorded in {@code problems}. Without any such variable, nothing
     * is built and nothing is sent.
     */
    static Map<String, String> resolve(Map<String, String> environment, List<String> problems) {
        Map<String, String> references = new LinkedHashMap<>();
        for (String name : SECRET) {
            String reference = environment.get(name + SUFFIX);
            if (reference == null || reference.isBlank()) {
                continue;
            }
            String direct = environment.get(name);
            if (direct != null && !direct.isBlank()) {
                problems.add(name + " and " + name + SUFFIX + " are both set; set one of them");
                continue;
            }
            references.put(name, reference.trim());
        }
        if (references.isEmpty()) {
            return environment;
        }
        Map<String, String> resolved = new HashMap<>(environment);
        try (SecretsManagerClient client = client(environment)) {
            references.forEach((name, secretId) -> {
                try {
                    String value = client.getSecretValue(r -> r.secretId(secretId)).secretString();
                    if (value == null || value.isBlank()) {
                        problems.add(name + SUFFIX + ": secret '" + secretId + "' has no secret string");
                    } else {
                        resolved.put(name, value);
                    }
                } catch (SdkException e) {
                    // The message names the secret and the reason (not found, access denied), never a value.
                    problems.add(name + SUFFIX + ": cannot read secret '" + secretId + "': " + e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            problems.add("cannot reach Secrets Manager for " + String.join(", ", references.keySet()) + ": " + e.getMessage());
        }
        return resolved;
    }

    private static SecretsManagerClient client(Map<String, String> environment) {
        String region = Optional.ofNullable(environment.get("AWS_REGION")).filter(r -> !r.isBlank())
                .orElseThrow(() -> new IllegalStateException("AWS_REGION is not set"));
        var builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .credentialsProvider(AwsCredentials.lambda())
                .httpClient(UrlConnectionHttpClient.create());
        Optional.ofNullable(environment.get(ENDPOINT)).filter(e -> !e.isBlank()).map(URI::create)
                .ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
