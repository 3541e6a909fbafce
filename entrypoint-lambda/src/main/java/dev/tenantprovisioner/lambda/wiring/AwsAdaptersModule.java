package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbClients;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.ecs.Ec2PublicAddresses;
import dev.tenantprovisioner.adapters.aws.ecs.EcsClients;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.adapters.resend.ResendMailer;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Binds the driven interfaces to DynamoDB, ECS and Resend. Every client is built with an explicit
 * region, the credentials Lambda puts in the environment and the URL-connection HTTP client, so
 * nothing walks the SDK's provider chains during init.
 */
public final class AwsAdaptersModule extends AbstractModule {

    private final AwsSettings settings;

    public AwsAdaptersModule(AwsSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(AwsSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    AwsCredentialsProvider credentials() {
        return EnvironmentVariableCredentialsProvider.create();
    }

    /** Shared by the ECS client and the EC2 address lookup. */
    @Provides
    @Singleton
    SdkHttpClient httpClient() {
        return EcsClients.httpClient();
    }

    @Provides
    @Singleton
    PortRegistry portRegistry(AwsCredentialsProvider credentials, PortPool pool, Clock clock) {
        return new DynamoDbPortRegistry(DynamoDbClients.create(settings.dynamoDb(), credentials),
                settings.dynamoDb().table(), pool, clock);
    }

    @Provides
    @Singleton
    ContainerRuntime containerRuntime(AwsCredentialsProvider credentials, SdkHttpClient http) {
        Ec2PublicAddresses ec2 = new Ec2PublicAddresses(http, settings.region(), credentials,
                settings.ec2Endpoint().orElseGet(() -> Ec2PublicAddresses.endpointFor(settings.region())));
        return new EcsContainerRuntime(EcsClients.ecs(http, settings.region(), credentials, settings.ecsEndpoint()), ec2,
                settings.ecs());
    }

    @Provides
    @Singleton
    Mailer mailer() {
        return new ResendMailer(settings.resend());
    }
}
