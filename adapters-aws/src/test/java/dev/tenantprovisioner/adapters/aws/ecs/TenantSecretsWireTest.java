package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A tenant's secret over the real Secrets Manager client, against {@link FakeSecretsManager}: what the API reference
 * documents and moto 5.2.1 does not show (an asynchronous forced delete, a name scheduled for deletion).
 */
class TenantSecretsWireTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final String NAME = "tenant-provisioner/tenants/acme";
    private static final Map<String, String> A = Map.of("PGPASSWORD", "first-password");
    private static final Map<String, String> B = Map.of("PGPASSWORD", "second-password");

    private final FakeSecretsManager fake = new FakeSecretsManager();
    private WireMockServer server;
    private SecretsManagerClient client;
    private TenantSecrets secrets;

    @BeforeEach
    void startFake() {
        server = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(fake));
        server.start();
        for (String operation : List.of(
                "CreateSecret",
                "DescribeSecret",
                "PutSecretValue",
                "UpdateSecretVersionStage",
                "RestoreSecret",
                "DeleteSecret",
                "GetSecretValue")) {
            server.stubFor(post(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo(FakeSecretsManager.TARGET_PREFIX + operation))
                    .willReturn(aResponse().withTransformers(FakeSecretsManager.NAME)));
        }
        client = SecretsManagerClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLETEST", "test-secret")))
                .endpointOverride(URI.create(server.baseUrl()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        secrets = new TenantSecrets(client, "tenant-provisioner/tenants/", new Retries(4, Duration.ZERO));
    }

    @AfterEach
    void stopFake() {
        client.close();
        server.stop();
    }

    private String current() {
        return client.getSecretValue(r -> r.secretId(NAME)).secretString();
    }

    @Test
    void givenASecretForceDeletedAMomentAgo_whenTheTenantComesBack_thenTheCreateIsRetriedUntilTheNameIsFree() {
        fake.forcedDeletesLinger(2);
        secrets.put(ACME, A);
        secrets.delete(ACME);

        String arn = secrets.put(ACME, B);

        assertThat(fake.calls("CreateSecret"))
                .as("the first create, two refused while the forced delete finishes, one that succeeds")
                .isEqualTo(4);
        assertThat(current()).isEqualTo(TenantSecrets.json(B));
        assertThat(arn).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + NAME + "-");
    }

    @Test
    void givenANameThatStaysScheduledForDeletion_whenPut_thenARetryableFailureAfterTheBoundedAttempts() {
        fake.forcedDeletesLinger(100);
        secrets.put(ACME, A);
        secrets.delete(ACME);

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> secrets.put(ACME, B));

        assertThat(failure.retryable())
                .as("the use case retries later; the lease stays at its checkpoint")
                .isTrue();
        assertThat(failure.getMessage()).contains(NAME, "InvalidRequestException", "scheduled for deletion");
        assertThat(fake.calls("CreateSecret")).isEqualTo(1 + 4);
    }

    @Test
    void givenASecretAnOperatorDeletedWithARecoveryWindow_whenPut_thenItIsRestoredAndCurrentNotThirtyDaysAway() {
        secrets.put(ACME, A);
        client.deleteSecret(r -> r.secretId(NAME).recoveryWindowInDays(30L));

        String arn = secrets.put(ACME, A);

        assertThat(fake.calls("RestoreSecret")).isEqualTo(1);
        assertThat(client.describeSecret(r -> r.secretId(NAME)).deletedDate()).isNull();
        assertThat(current()).isEqualTo(TenantSecrets.json(A));
        assertThat(arn).isEqualTo(client.describeSecret(r -> r.secretId(NAME)).arn());
    }

    @Test
    void givenAnOlderValuePutAgain_whenPut_thenItIsCurrentAgainWithoutANewVersion() {
        secrets.put(ACME, A);
        secrets.put(ACME, B);

        secrets.put(ACME, A);

        assertThat(current()).isEqualTo(TenantSecrets.json(A));
        assertThat(fake.versions(NAME)).isEqualTo(2);
        assertThat(fake.calls("UpdateSecretVersionStage")).isEqualTo(1);
    }

    @Test
    void givenTheCurrentValue_whenPutAgain_thenNothingIsWritten() {
        secrets.put(ACME, A);

        secrets.put(ACME, A);

        assertThat(fake.calls("PutSecretValue")).isZero();
        assertThat(fake.calls("UpdateSecretVersionStage")).isZero();
        assertThat(fake.versions(NAME)).isEqualTo(1);
    }
}
