package dev.tenantprovisioner.lambda.wiring;

import java.util.Optional;

/** The settings of the AWS and Resend adapters. Completed as each adapter lands. */
public record AwsSettings(String region, String tableName, Optional<String> dynamoDbEndpoint) {

    public static AwsSettings from(Env env) {
        String region = env.required("AWS_REGION", "the region of the table and the cluster; Lambda sets it");
        String table = env.orDefault("TABLE_NAME", "PortTracking");
        return new AwsSettings(region, table, env.optional("DYNAMODB_ENDPOINT"));
    }
}
