package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.adapters.aws.UrlConnectionClients;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Builds the clients of this package for a fast cold start: region and credentials are given rather than
 * discovered, and the JDK's URL connection is the only HTTP client (no Apache or Netty to load).
 */
public final class EcsClients {

    /** Standard retry mode: 3 attempts in all, with jittered backoff, for throttling, 5xx and I/O errors. */
    public static final int ATTEMPTS = 3;

    private EcsClients() {}

    /** One HTTP client to share between the ECS client and {@link Ec2PublicAddresses}. */
    public static SdkHttpClient httpClient() {
        return UrlConnectionClients.create(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** The ECS client; {@code endpoint} overrides the regional endpoint (tests, VPC endpoints). */
    public static EcsClient ecs(
            SdkHttpClient http,
            Region region,
            AwsCredentialsProvider credentials,
            Optional<URI> endpoint,
            ExecutionInterceptor... interceptors) {
        var builder = EcsClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> {
                    o.retryStrategy(RetryMode.STANDARD);
                    for (ExecutionInterceptor interceptor : interceptors) {
                        o.addExecutionInterceptor(interceptor);
                    }
                });
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
