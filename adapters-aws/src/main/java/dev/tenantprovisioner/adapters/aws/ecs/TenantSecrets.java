package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * A tenant's container secrets, kept as one Secrets Manager secret per tenant ({@code <prefix><tenant>}, a JSON object
 * of name to value) that the tenant's task definition references: ECS reads it with the task execution role when the
 * task starts, so the values never appear in RunTask, DescribeTasks or the task definition. Writes are idempotent:
 * the version's client request token is a hash of the value (Secrets Manager ignores a repeat of a version with the
 * same token and value; PutSecretValue and CreateSecret API references).
 */
final class TenantSecrets {

    static final String TENANT_TAG = RunTaskRequests.TENANT_TAG;

    private final SecretsManagerClient secrets;
    private final String prefix;

    TenantSecrets(SecretsManagerClient secrets, String prefix) {
        this.secrets = secrets;
        this.prefix = prefix;
    }

    String nameOf(TenantId tenant) {
        return prefix + tenant.value();
    }

    /** Stores {@code values} as the tenant's current secret; returns the secret's ARN. */
    String put(TenantId tenant, Map<String, String> values) {
        String name = nameOf(tenant);
        String json = json(values);
        String token = token(json);
        try {
            try {
                return secrets.putSecretValue(
                                r -> r.secretId(name).secretString(json).clientRequestToken(token))
                        .arn();
            } catch (ResourceNotFoundException firstTime) {
                try {
                    return secrets.createSecret(r -> r.name(name)
                                    .secretString(json)
                                    .clientRequestToken(token)
                                    .description(
                                            "tenant-provisioner: secrets of tenant " + tenant.value() + "'s container")
                                    .tags(t -> t.key(TENANT_TAG).value(tenant.value())))
                            .arn();
                } catch (ResourceExistsException raced) {
                    return secrets.putSecretValue(
                                    r -> r.secretId(name).secretString(json).clientRequestToken(token))
                            .arn();
                }
            }
        } catch (SdkException e) {
            throw EcsFailures.of("Secrets Manager (secret " + name + ")", e);
        }
    }

    /** Deletes the tenant's secret at once (no recovery window); nothing there is fine. */
    void delete(TenantId tenant) {
        String name = nameOf(tenant);
        try {
            secrets.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException gone) {
            // Never made, or deleted by an earlier call.
        } catch (SdkException e) {
            throw EcsFailures.of("Secrets Manager DeleteSecret (secret " + name + ")", e);
        }
    }

    /** A JSON object of the values, keys sorted, so the same values always make the same text. */
    static String json(Map<String, String> values) {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(values).forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(name)).append(':').append(quote(value));
        });
        return json.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String token(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
