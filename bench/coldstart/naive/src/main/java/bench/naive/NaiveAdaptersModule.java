package bench.naive;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbBillingRecords;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.adapters.aws.ecs.Ec2PublicAddresses;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.adapters.aws.ecs.EcsSettings;
import dev.tenantprovisioner.adapters.http.HttpLinkProbe;
import dev.tenantprovisioner.adapters.resend.ResendMailer;
import dev.tenantprovisioner.adapters.resend.ResendSettings;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The production bindings (registry, billing records, runtime, mailer, link probe) on clients built with the SDK's
 * defaults: the HTTP client found on the class path, the default credential and region provider chains, endpoints from
 * the standard AWS_ENDPOINT_URL_* variables, and a Resend client built at init.
 */
final class NaiveAdaptersModule extends AbstractModule {

    private final CoreSettings.ReadyCheck ready;

    NaiveAdaptersModule(CoreSettings.ReadyCheck ready) {
        this.ready = ready;
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), LinkProbe.class)
                .setBinding()
                .toInstance(HttpLinkProbe.trusting(ready.trustedRoots().map(Path::of), ready.path(), ready.patience()));
    }

    @Provides
    @Singleton
    DynamoDbClient dynamoDb() {
        return DynamoDbClient.create();
    }

    @Provides
    @Singleton
    PortRegistry portRegistry(DynamoDbClient dynamoDb, PortPool pool, Clock clock) {
        return new DynamoDbPortRegistry(dynamoDb, table(), pool, clock);
    }

    @Provides
    @Singleton
    BillingRecords billingRecords(DynamoDbClient dynamoDb, Clock clock) {
        return new DynamoDbBillingRecords(dynamoDb, table(), clock);
    }

    @Provides
    @Singleton
    ContainerRuntime containerRuntime() {
        Region region = new DefaultAwsRegionProviderChain().getRegion();
        Ec2PublicAddresses ec2 = new Ec2PublicAddresses(
                ApacheHttpClient.create(),
                region,
                DefaultCredentialsProvider.builder().build(),
                Ec2PublicAddresses.endpointFor(region));
        EcsSettings settings = EcsSettings.of(
                System.getenv("ECS_CLUSTER"),
                System.getenv("ECS_TASK_DEFINITION"),
                System.getenv("ECS_CONTAINER_NAME"));
        return new EcsContainerRuntime(EcsClient.create(), ec2, settings);
    }

    @Provides
    @Singleton
    Mailer mailer() {
        return new ResendMailer(ResendSettings.of(System.getenv("RESEND_API_KEY"), System.getenv("RESEND_FROM")));
    }

    private static TableName table() {
        return TableName.of(System.getenv("PORT_TABLE_NAME"));
    }
}
