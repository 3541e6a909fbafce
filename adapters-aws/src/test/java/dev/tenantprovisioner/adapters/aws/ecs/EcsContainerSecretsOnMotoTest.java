package dev.tenantprovisioner.adapters.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * A container's secrets (its database password) reach it by reference: a Secrets Manager secret per tenant that the
 * tenant's own task definition reads (ECS developer guide, "Pass Secrets Manager secrets through Amazon ECS
 * environment variables": {@code valueFrom} is the secret's ARN, a JSON key and two empty fields). Run on moto's ECS
 * and Secrets Manager; nothing of the password may show in the task or in its task definition.
 */
class EcsContainerSecretsOnMotoTest {

    private static final TenantDatabase DATABASE =
            new TenantDatabase("db.internal", 5432, "tenant_acme", "tenant_acme", "s3cr3t-Pa55word_x");

    private static MotoServer moto;
    private MotoEcs cluster;
    private SecretsManagerClient secrets;
    private EcsContainerRuntime runtime;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void freshCluster() {
        cluster = MotoEcs.hostNetwork(moto);
        secrets = cluster.secretsManager();
        runtime = cluster.runtime(cluster.settings().withSecretsPrefix("tenant-provisioner/tenants/"), secrets);
    }

    @AfterEach
    void closeClients() {
        secrets.close();
        cluster.close();
    }

    private static ContainerSpec spec(String token) {
        return new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), token).withDatabase(DATABASE);
    }

    private TaskId start(String token) {
        return ((StartOutcome.Started) runtime.start(spec(token))).task();
    }

    private Task describe(TaskId task) {
        return cluster.ecs()
                .describeTasks(r -> r.cluster(MotoEcs.CLUSTER).tasks(task.value()))
                .tasks()
                .get(0);
    }

    @Test
    void givenAContainerWithADatabase_whenStarted_thenItsSecretsAreReferencedAndNeverInTheTask() {
        TaskId task = start("acme-g1-r0");

        Task described = describe(task);
        assertThat(described.taskDefinitionArn()).contains(":task-definition/" + MotoEcs.FAMILY + "-tenant-acme:");
        assertThat(described.overrides().containerOverrides().get(0).environment())
                .extracting(KeyValuePair::name)
                .contains("PGHOST", "PGDATABASE", "PGUSER", "PGPORT", "PORT", "TENANT_ID")
                .doesNotContain("PGPASSWORD", "DATABASE_URL");
        assertThat(described.toString()).doesNotContain(DATABASE.password());

        String secretArn = secrets.describeSecret(r -> r.secretId("tenant-provisioner/tenants/acme"))
                .arn();
        ContainerDefinition container = cluster.ecs()
                .describeTaskDefinition(r -> r.taskDefinition(described.taskDefinitionArn()))
                .taskDefinition()
                .containerDefinitions()
                .get(0);
        assertThat(container.secrets())
                .extracting(secret -> secret.name() + "=" + secret.valueFrom())
                .containsExactlyInAnyOrder(
                        "DATABASE_URL=" + secretArn + ":DATABASE_URL::", "PGPASSWORD=" + secretArn + ":PGPASSWORD::");
        assertThat(container.toString()).doesNotContain(DATABASE.password());
        assertThat(secrets.getSecretValue(r -> r.secretId(secretArn)).secretString())
                .isEqualTo(TenantSecrets.json(DATABASE.secrets()));
    }

    @Test
    void givenAStartedTenant_whenRestarted_thenTheSameSecretVersionAndTaskDefinitionAreReused() {
        TaskId first = start("acme-g1-r0");
        int versions = secrets.listSecretVersionIds(r -> r.secretId("tenant-provisioner/tenants/acme"))
                .versions()
                .size();

        TaskId again = start("acme-g1-r1");

        assertThat(describe(again).taskDefinitionArn())
                .isEqualTo(describe(first).taskDefinitionArn());
        assertThat(secrets.listSecretVersionIds(r -> r.secretId("tenant-provisioner/tenants/acme"))
                        .versions())
                .hasSize(versions);
    }

    @Test
    void givenAStartedTenant_whenForgotten_thenItsSecretAndTaskDefinitionAreGoneAndARepeatIsFine() {
        TaskId task = start("acme-g1-r0");
        String definition = describe(task).taskDefinitionArn();

        runtime.forget(TenantId.of("acme"));
        runtime.forget(TenantId.of("acme"));

        assertThat(catchThrowableOfType(
                        ResourceNotFoundException.class,
                        () -> secrets.describeSecret(r -> r.secretId("tenant-provisioner/tenants/acme"))))
                .isNotNull();
        assertThat(cluster.ecs()
                        .describeTaskDefinition(r -> r.taskDefinition(definition))
                        .taskDefinition()
                        .statusAsString())
                .isEqualTo("INACTIVE");
    }

    @Test
    void givenAnOlderPasswordHandedOverAgain_whenStarted_thenTheSecretsCurrentValueIsThatOlderOne() {
        // PutSecretValue with a token that already exists and the same data "succeeds but does nothing" (API
        // reference); moto does the same, so here too only moving AWSCURRENT back makes the older value current.
        TenantDatabase other =
                new TenantDatabase("db.internal", 5432, "tenant_acme", "tenant_acme", "an0ther-Pa55word");
        start("acme-g1-r0");
        runtime.start(new ContainerSpec(TenantId.of("acme"), HostPort.of(3000), "acme-g1-r1").withDatabase(other));

        start("acme-g1-r2");

        // Read by the AWSCURRENT label, as ECS reads a valueFrom without a stage. moto 5.2.1 differs from AWS when no
        // stage is given: it answers the version it last wrote, not the one UpdateSecretVersionStage made AWSCURRENT
        // (AWS: "If you don't specify either a VersionStage or VersionId, Secrets Manager returns the AWSCURRENT
        // version", GetSecretValue API reference).
        assertThat(secrets.getSecretValue(r ->
                                r.secretId("tenant-provisioner/tenants/acme").versionStage("AWSCURRENT"))
                        .secretString())
                .isEqualTo(TenantSecrets.json(DATABASE.secrets()));
    }

    @Test
    void givenASecretAnOperatorDeletedWithARecoveryWindow_whenTheTenantStarts_thenTheSecretIsRestored() {
        // moto keeps a secret deleted with a recovery window and shows its DeletedDate, as AWS does. Where moto is not
        // AWS: it would answer a CreateSecret of this name with ResourceExistsException (AWS: InvalidRequestException),
        // which the adapter never sends here since it describes the secret first; the wire test with the Secrets
        // Manager fake covers AWS's answers (TenantSecretsWireTest).
        start("acme-g1-r0");
        secrets.deleteSecret(r -> r.secretId("tenant-provisioner/tenants/acme").recoveryWindowInDays(7L));

        start("acme-g1-r1");

        assertThat(secrets.describeSecret(r -> r.secretId("tenant-provisioner/tenants/acme"))
                        .deletedDate())
                .isNull();
        assertThat(secrets.getSecretValue(r -> r.secretId("tenant-provisioner/tenants/acme"))
                        .secretString())
                .isEqualTo(TenantSecrets.json(DATABASE.secrets()));
    }

    @Test
    void givenATenantForgottenAndBackAtOnce_whenStarted_thenANewSecretIsMade() {
        // moto 5.2.1 removes a force-deleted secret at once, so the immediate re-create succeeds here; on AWS the
        // delete finishes in the background and the create is refused for a while ("use appropriate back off and retry
        // logic", DeleteSecret API reference), which TenantSecretsWireTest shows against the Secrets Manager fake.
        start("acme-g1-r0");
        runtime.forget(TenantId.of("acme"));

        start("acme-g2-r0");

        assertThat(secrets.getSecretValue(r -> r.secretId("tenant-provisioner/tenants/acme"))
                        .secretString())
                .isEqualTo(TenantSecrets.json(DATABASE.secrets()));
    }

    @Test
    void givenNoSecretsPrefix_whenAContainerWithSecretsStarts_thenItIsRefusedNamingTheSetting() {
        EcsContainerRuntime plain = cluster.runtime(cluster.settings());

        InfrastructureException refusal =
                catchThrowableOfType(InfrastructureException.class, () -> plain.start(spec("acme-g1-r0")));

        assertThat(refusal.getMessage()).contains("ECS_SECRETS_PREFIX").doesNotContain(DATABASE.password());
        assertThat(refusal.retryable()).isFalse();
        assertThat(cluster.ecs().listTasks(r -> r.cluster(MotoEcs.CLUSTER)).taskArns())
                .isEmpty();
    }

    @Test
    void givenAContainerWithoutSecrets_whenStarted_thenItRunsTheBaseDefinitionAsBefore() {
        TaskId task = ((StartOutcome.Started)
                        runtime.start(new ContainerSpec(TenantId.of("plain"), HostPort.of(3001), "plain-g1-r0")))
                .task();

        assertThat(describe(task).taskDefinitionArn()).endsWith(":task-definition/" + MotoEcs.FAMILY + ":1");
    }
}
