package dev.tenantprovisioner.lambda.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets read from a real Secrets Manager protocol server (moto), as the function reads them at init. */
class SecretSettingsTest {

    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        try (SecretsManagerClient client = client(Map.of())) {
            client.createSecret(
                    r -> r.name("tp/api-keys").secretString("key-one-0123456789abcdef,key-two-0123456789abcdef"));
            client.createSecret(r -> r.name("tp/resend").secretString("re_secret_value"));
        }
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    private static SecretsManagerClient client(Map<String, String> environment) {
        return SecretsManagerClient.builder()
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(moto.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static SecretsManagerSource source() {
        return new SecretsManagerSource(() -> client(Map.of()));
    }

    @Test
    void givenSecretIds_whenResolved_thenTheSettingsHoldTheSecretsAndTheIdsAreKept() {
        List<String> problems = new ArrayList<>();

        Map<String, String> resolved = SecretSettings.resolve(
                Map.of(
                        "AWS_REGION",
                        "eu-west-1",
                        "API_KEYS_SECRET_ID",
                        "tp/api-keys",
                        "RESEND_API_KEY_SECRET_ID",
                        "tp/resend"),
                problems,
                source());

        assertThat(problems).isEmpty();
        assertThat(resolved.get("API_KEYS")).isEqualTo("key-one-0123456789abcdef,key-two-0123456789abcdef");
        assertThat(resolved.get("RESEND_API_KEY")).isEqualTo("re_secret_value");
        assertThat(resolved.get("API_KEYS_SECRET_ID")).isEqualTo("tp/api-keys");
    }

    @Test
    void givenSecretThatDoesNotExist_whenResolved_thenTheProblemNamesTheVariableAndTheSecret() {
        List<String> problems = new ArrayList<>();

        Map<String, String> resolved = SecretSettings.resolve(
                Map.of("AWS_REGION", "eu-west-1", "STRIPE_WEBHOOK_SECRETS_SECRET_ID", "tp/missing"),
                problems,
                source());

        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("STRIPE_WEBHOOK_SECRETS_SECRET_ID: cannot read secret 'tp/missing': ");
        assertThat(resolved.get("STRIPE_WEBHOOK_SECRETS")).isNull();
    }

    @Test
    void givenNoSecretIds_whenResolved_thenNoClientIsBuiltAndTheEnvironmentIsUnchanged() {
        Map<String, String> environment = Map.of("API_KEYS", "plain-key-0123456789abcdef");

        Map<String, String> resolved =
                SecretSettings.resolve(environment, new ArrayList<>(), new SecretsManagerSource(() -> {
                    throw new AssertionError("no secret to read, so no client");
                }));

        assertThat(resolved).isSameAs(environment);
    }

    @Test
    void givenLambdaCredentials_whenBuilt_thenEnvironmentThenContainerAndNothingElse() {
        assertThat(AwsCredentials.lambda().toString())
                .contains("EnvironmentVariableCredentialsProvider", "ContainerCredentialsProvider")
                .doesNotContain("Profile", "InstanceProfile", "WebIdentity", "SystemProperty");
        assertThat(AwsCredentials.lambda().toString().indexOf("EnvironmentVariable"))
                .isLessThan(AwsCredentials.lambda().toString().indexOf("ContainerCredentials"));
    }
}
