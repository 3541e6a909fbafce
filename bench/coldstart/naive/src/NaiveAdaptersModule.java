package bench.naive;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.adapters.aws.ecs.Ec2PublicAddresses;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.adapters.aws.ecs.EcsSettings;
import dev.tenantprovisioner.adapters.resend.ResendMailer;
import dev.tenantprovisioner.adapters.resend.ResendSettings;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The same adapters on clients built with the SDK's defaults: the HTTP client found on the class path,
 * the default credential and region provider chains, endpoints from the standard AWS_ENDPOINT_URL_* variables.
 */
final class NaiveAdaptersModule extends AbstractModule {

    @Provides
    @Singleton
    PortRegistry portRegistry(PortPool pool) {
        return new DynamoDbPortRegistry(DynamoDbClient.create(), TableName.of(System.getenv("PORT_TABLE_NAME")), pool);
    }

    @Provides
    @Singleton
    ContainerRuntime containerRuntime() {
        Region region = new DefaultAwsRegionProviderChain().getRegion();
        Ec2PublicAddresses ec2 = new Ec2PublicAddresses(ApacheHttpClient.create(), region,
                DefaultCredentialsProvider.builder().build(), Ec2PublicAddresses.endpointFor(region));
        EcsSettings settings = EcsSettings.of(System.getenv("ECS_CLUSTER"), System.getenv("ECS_TASK_DEFINITION"),
                System.getenv("ECS_CONTAINER_NAME"));
        return new EcsContainerRuntime(EcsClient.create(), ec2, settings);
    }

    @Provides
    @Singleton
    Mailer mailer() {
        return new ResendMailer(ResendSettings.of(System.getenv("RESEND_API_KEY"), System.getenv("RESEND_FROM")));
    }
}
