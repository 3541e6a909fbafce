package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.adapters.aws.UrlConnectionClients;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** Builds the {@link DynamoDbClient} the registry runs on: url-connection HTTP, explicit region and credentials. */
public final class DynamoDbClients {

    private DynamoDbClients() {}

    public static DynamoDbClient create(
            DynamoDbSettings settings, AwsCredentialsProvider credentials, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder override =
                ClientOverrideConfiguration.builder().retryStrategy(retryStrategy(settings.maxAttempts()));
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionClients.create(Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .region(settings.region())
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The SDK's standard strategy (throttling, 5xx and I/O errors, exponential backoff with jitter) plus a
     * single write that collided with a transaction on the same item, which DynamoDB asks callers to retry.
     */
    static RetryStrategy retryStrategy(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .retryOnExceptionInstanceOf(TransactionConflictException.class)
                .build();
    }
}
