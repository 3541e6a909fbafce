package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Everything the DynamoDB client needs, explicit so that building it never walks the SDK's provider
 * chains (which costs start-up time in a Lambda).
 *
 * @param endpoint an endpoint override for a local server; empty for the region's real endpoint
 * @param maxAttempts attempts per request, the first included, for throttling and transient failures
 */
public record DynamoDbSettings(TableName table, Region region, Optional<URI> endpoint, int maxAttempts) {

    public static final String TABLE_VARIABLE = "PORT_TABLE_NAME";
    public static final String REGION_VARIABLE = "AWS_REGION";
    public static final String ENDPOINT_VARIABLE = "DYNAMODB_ENDPOINT";
    public static final String MAX_ATTEMPTS_VARIABLE = "DYNAMODB_MAX_ATTEMPTS";
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public DynamoDbSettings {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: must be at least 1, was " + maxAttempts);
        }
    }
}
