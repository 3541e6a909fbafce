package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * A tenant's container secrets, kept as one Secrets Manager secret per tenant ({@code <prefix><tenant>}, a JSON object
 * of name to value) that the tenant's task definition references: ECS reads it with the task execution role when the
 * task starts, so the values never appear in RunTask, DescribeTasks or the task definition.
 *
 * <p>What Secrets Manager's documents say, and what is done about it (API reference,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/):
 * <ul>
 *   <li>A version's client request token is a hash of its value, so a repeat writes nothing new. But PutSecretValue
 *       with a token that already exists and the same data "succeeds but does nothing" (PutSecretValue): it does not
 *       make that version current again. An older value put again (A, B, then A) is therefore made current by moving
 *       the {@code AWSCURRENT} label back to its version (UpdateSecretVersionStage; user guide, "Roll back a secret to
 *       a previous version").
 *   <li>A forced delete is asynchronous: "If you delete a secret and then immediately create a secret with the same
 *       name, use appropriate back off and retry logic" (DeleteSecret). Meanwhile CreateSecret answers
 *       {@code InvalidRequestException} ("You can't create this secret because a secret with this name is already
 *       scheduled for deletion.", as seen on AWS; the model: "The secret is scheduled for deletion"). That, and any
 *       other {@code InvalidRequestException} of a secret on its way out, is retried with growing pauses.
 *   <li>A secret an operator deleted with a recovery window is restored (RestoreSecret "cancels the scheduled
 *       deletion"), so the tenant does not wait up to 30 days for its name.
 * </ul>
 */
final class TenantSecrets {

    static final String TENANT_TAG = RunTaskRequests.TENANT_TAG;
    static final String CURRENT = "AWSCURRENT";

    private final SecretsManagerClient secrets;
    private final String prefix;
    private final Retries retries;

    TenantSecrets(SecretsManagerClient secrets, String prefix) {
        this(secrets, prefix, new Retries(4, Duration.ofMillis(500)));
    }

    TenantSecrets(SecretsManagerClient secrets, String prefix, Retries retries) {
        this.secrets = secrets;
        this.prefix = prefix;
        this.retries = retries;
    }

    String nameOf(TenantId tenant) {
        return prefix + tenant.value();
    }

    /** Stores {@code values} as the tenant's current secret; returns the secret's ARN. */
    String put(TenantId tenant, Map<String, String> values) {
        String name = nameOf(tenant);
        String json = json(values);
        String token = token(json);
        Random jitter = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return putOnce(tenant, name, json, token);
            } catch (InvalidRequestException | ResourceExistsException notNow) {
                // On its way out (scheduled for deletion, or a forced delete not finished), or made by another caller
                // a moment ago: look again after a pause.
                if (attempt >= retries.attempts()) {
                    throw new InfrastructureException(
                            "Secrets Manager secret " + name + " is not usable yet after " + attempt + " attempts: "
                                    + notNow.awsErrorDetails().errorCode() + " "
                                    + notNow.awsErrorDetails().errorMessage(),
                            true,
                            notNow);
                }
                jitter = jitter == null ? new SecureRandom() : jitter;
                Retries.sleep(retries.pause(attempt, jitter), "for Secrets Manager secret " + name);
            } catch (SdkException e) {
                throw EcsFailures.of("Secrets Manager (secret " + name + ")", e);
            }
        }
    }

    private String putOnce(TenantId tenant, String name, String json, String token) {
        DescribeSecretResponse secret;
        try {
            secret = secrets.describeSecret(r -> r.secretId(name));
        } catch (ResourceNotFoundException firstTime) {
            return secrets.createSecret(r -> r.name(name)
                            .secretString(json)
                            .clientRequestToken(token)
                            .description("tenant-provisioner: secrets of tenant " + tenant.value() + "'s container")
                            .tags(t -> t.key(TENANT_TAG).value(tenant.value())))
                    .arn();
        }
        if (secret.deletedDate() != null) {
            // Deleted with a recovery window (by hand): restored rather than left unusable until the window ends.
            secrets.restoreSecret(r -> r.secretId(name));
            secret = secrets.describeSecret(r -> r.secretId(name));
        }
        Map<String, List<String>> stages = secret.versionIdsToStages();
        if (stages.getOrDefault(token, List.of()).contains(CURRENT)) {
            return secret.arn();
        }
        if (!stages.containsKey(token)) {
            PutSecretValueResponse put = secrets.putSecretValue(
                    r -> r.secretId(name).secretString(json).clientRequestToken(token));
            if (put.versionStages().contains(CURRENT)) {
                return put.arn();
            }
            // The version existed without a label (Secrets Manager keeps such versions a while): the put did nothing.
        }
        Optional<String> current = stages.entrySet().stream()
                .filter(version -> version.getValue().contains(CURRENT))
                .map(Map.Entry::getKey)
                .findFirst();
        secrets.updateSecretVersionStage(r -> r.secretId(name)
                .versionStage(CURRENT)
                .moveToVersionId(token)
                .removeFromVersionId(current.orElse(null)));
        return secret.arn();
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
