package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbBillingRecords;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbClients;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.ecs.ContainerInsightsTraffic;
import dev.tenantprovisioner.adapters.aws.ecs.Ec2PublicAddresses;
import dev.tenantprovisioner.adapters.aws.ecs.EcsClients;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.adapters.aws.ecs.ProxyAccessLogTraffic;
import dev.tenantprovisioner.adapters.aws.ecs.Retries;
import dev.tenantprovisioner.adapters.http.HttpLinkProbe;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Binds the registry and the runtime to DynamoDB and ECS (the mailer is {@link MailModule}'s, or
 * {@link NoMailModule}'s where a function leaves the email to others). Every client is built with an explicit
 * region, the credentials Lambda provides ({@link AwsCredentials}) and the URL-connection HTTP client,
 * so nothing walks the SDK's provider chains during init. The concrete adapters and clients are bound
 * too, for the SnapStart hooks ({@link SnapStartHooks}).
 */
public final class AwsAdaptersModule extends AbstractModule {

    private final AwsSettings settings;
    private final CoreSettings.ReadyCheck ready;

    public AwsAdaptersModule(AwsSettings settings, CoreSettings.ReadyCheck ready) {
        this.settings = settings;
        this.ready = ready;
    }

    @Override
    protected void configure() {
        bind(AwsSettings.class).toInstance(settings);
        bind(DryRun.class).toInstance(new DryRun());
        bind(PortRegistry.class).to(DynamoDbPortRegistry.class);
        bind(ContainerRuntime.class).to(EcsContainerRuntime.class);
        bind(BillingRecords.class).to(DynamoDbBillingRecords.class);
        // Ready means the tenant's link answers through the proxy, as the email's reader will open it.
        OptionalBinder.newOptionalBinder(binder(), LinkProbe.class)
                .setBinding()
                .toInstance(HttpLinkProbe.trusting(ready.trustedRoots().map(Path::of), ready.path(), ready.patience()));
    }

    @Provides
    @Singleton
    AwsCredentialsProvider credentials() {
        return AwsCredentials.lambda();
    }

    /** Shared by the ECS client and the EC2 address lookup. */
    @Provides
    @Singleton
    SdkHttpClient httpClient() {
        return EcsClients.httpClient();
    }

    @Provides
    @Singleton
    DynamoDbClient dynamoDbClient(AwsCredentialsProvider credentials, DryRun dryRun) {
        return DynamoDbClients.create(settings.dynamoDb(), credentials, dryRun);
    }

    @Provides
    @Singleton
    EcsClient ecsClient(AwsCredentialsProvider credentials, SdkHttpClient http, DryRun dryRun) {
        return EcsClients.ecs(http, settings.region(), credentials, settings.ecsEndpoint(), dryRun);
    }

    @Provides
    @Singleton
    DynamoDbPortRegistry portRegistry(DynamoDbClient client, PortPool pool, Clock clock) {
        return new DynamoDbPortRegistry(client, settings.dynamoDb().table(), pool, clock);
    }

    @Provides
    @Singleton
    DynamoDbBillingRecords billingRecords(DynamoDbClient client, Clock clock) {
        return new DynamoDbBillingRecords(client, settings.dynamoDb().table(), clock);
    }

    @Provides
    @Singleton
    EcsContainerRuntime containerRuntime(EcsClient ecs, AwsCredentialsProvider credentials, SdkHttpClient http) {
        Ec2PublicAddresses ec2 = new Ec2PublicAddresses(
                http,
                settings.region(),
                credentials,
                settings.ec2Endpoint().orElseGet(() -> Ec2PublicAddresses.endpointFor(settings.region())));
        return new EcsContainerRuntime(ecs, ec2, settings.ecs(), tenantSecrets(credentials, http));
    }

    /**
     * Idle suspension, when configured: traffic read, over the idle period, from the proxy's access log (see {@link
     * ProxyAccessLogTraffic}) or the cluster's Container Insights task events (see {@link ContainerInsightsTraffic}).
     */
    @Provides
    IdleSweep idleSweep(
            PortRegistry registry,
            SuspendTenant suspend,
            CoreSettings core,
            AwsCredentialsProvider credentials,
            SdkHttpClient http,
            Clock clock) {
        URI logs = settings.logsEndpoint().orElseGet(() -> ContainerInsightsTraffic.endpointFor(settings.region()));
        return new IdleSweep(settings.idleSuspendAfter().map(after -> {
            TrafficMonitor traffic = settings.idleTraffic() == AwsSettings.IdleTraffic.PROXY
                    ? new ProxyAccessLogTraffic(
                            http,
                            settings.region(),
                            credentials,
                            logs,
                            settings.proxyLogGroup().orElseThrow(),
                            after,
                            quietLimit(core),
                            clock,
                            Retries.DEFAULT)
                    : new ContainerInsightsTraffic(
                            http,
                            settings.region(),
                            credentials,
                            logs,
                            settings.ecs().cluster(),
                            after,
                            clock);
            return new SuspendIdleTenants(registry, suspend, traffic, after, clock);
        }));
    }

    /** The longest the proxy may go unheard near the ends of the idle period: a few of its polls, two minutes at least. */
    private static Duration quietLimit(CoreSettings core) {
        Duration polls =
                core.proxy().map(proxy -> proxy.pollInterval().multipliedBy(3)).orElse(Duration.ZERO);
        return polls.compareTo(Duration.ofMinutes(2)) > 0 ? polls : Duration.ofMinutes(2);
    }

    /** Only where containers' secrets are kept in Secrets Manager (ECS_SECRETS_PREFIX). */
    private Optional<SecretsManagerClient> tenantSecrets(AwsCredentialsProvider credentials, SdkHttpClient http) {
        if (settings.ecs().secretsPrefix().isEmpty()) {
            return Optional.empty();
        }
        var builder = SecretsManagerClient.builder()
                .region(settings.region())
                .credentialsProvider(credentials)
                .httpClient(http);
        settings.secretsManagerEndpoint().ifPresent(builder::endpointOverride);
        return Optional.of(builder.build());
    }
}
