package dev.tenantprovisioner.lambda.wiring;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

/**
 * Where the function's credentials come from: the environment variables Lambda sets for an ordinary function
 * ({@code AWS_ACCESS_KEY_ID}...), else the container credentials endpoint that Lambda hands a SnapStart function
 * instead ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; Lambda
 * developer guide, "Activating and managing Lambda SnapStart", credentials). Nothing else is walked: no profile
 * files, no web identity, no instance metadata, which cost start-up time and do not exist in Lambda.
 */
final class AwsCredentials {

    private AwsCredentials() {}

    static AwsCredentialsProvider lambda() {
        // The container provider caches what it fetched and refreshes it before it expires, so credentials that a
        // snapshot carried past their expiry are fetched anew on first use after a restore.
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(
                        EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create())
                .reuseLastProviderEnabled(true)
                .build();
    }
}
