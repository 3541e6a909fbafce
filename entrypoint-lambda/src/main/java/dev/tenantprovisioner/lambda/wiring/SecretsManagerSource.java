package dev.tenantprovisioner.lambda.wiring;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads secrets with the SDK's own Secrets Manager client (GetSecretValue; URL-connection HTTP, the function's
 * region and credentials), built on the first read only, so a function configured without secret ids never
 * builds one. {@code SECRETSMANAGER_ENDPOINT} points it at another endpoint (a local test server).
 */
final class SecretsManagerSource implements SecretSource, AutoCloseable {

    static final String ENDPOINT = "SECRETSMANAGER_ENDPOINT";

    private final Supplier<SecretsManagerClient> factory;
    private SecretsManagerClient client;

    SecretsManagerSource(Supplier<SecretsManagerClient> factory) {
        this.factory = factory;
    }

    /** The client a function builds from its environment. */
    static SecretsManagerSource forEnvironment(Map<String, String> environment) {
        return new SecretsManagerSource(() -> {
            String region = Optional.ofNullable(environment.get("AWS_REGION"))
                    .filter(r -> !r.isBlank())
                    .orElseThrow(() -> new IllegalStateException("AWS_REGION is not set"));
            var builder = SecretsManagerClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(AwsCredentials.lambda())
                    .httpClient(UrlConnectionHttpClient.create());
            Optional.ofNullable(environment.get(ENDPOINT))
                    .filter(e -> !e.isBlank())
                    .map(URI::create)
                    .ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    @Override
    public String read(String secretId) {
        if (client == null) {
            client = factory.get();
        }
        return client.getSecretValue(r -> r.secretId(secretId)).secretString();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
