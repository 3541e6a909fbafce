package dev.tenantprovisioner.lambda.wiring;

/** Where secret settings are read from at init: AWS Secrets Manager in production ({@link SecretsManagerSource}). */
@FunctionalInterface
public interface SecretSource {

    /**
     * The secret string of {@code secretId} (a name or an ARN).
     *
     * @throws RuntimeException naming the secret and why it cannot be read; never carrying a secret value
     */
    String read(String secretId);
}
