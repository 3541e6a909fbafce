package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Sends one request and turns what the SDK could not retry away into the domain's
 * {@link InfrastructureException}, naming the table and the key. Lost conditions pass through: they
 * are answers the registry acts on, not failures.
 */
final class Requests {

    private final TableName table;

    Requests(TableName table) {
        this.table = table;
    }

    <T> T send(String operation, Map<String, AttributeValue> key, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException answer) {
            throw answer;
        } catch (SdkException e) {
            throw failure(operation, Keys.describe(key), e);
        }
    }

    InfrastructureException failure(String operation, String key, SdkException e) {
        return new InfrastructureException(
                "DynamoDB " + operation + " on table " + table + ", key " + key + " failed: " + e.getMessage(),
                retryable(e),
                e);
    }

    InfrastructureException failure(String operation, String key, String reason, boolean retryable) {
        return new InfrastructureException(
                "DynamoDB " + operation + " on table " + table + ", key " + key + " failed: " + reason, retryable);
    }

    private static boolean retryable(SdkException e) {
        if (e.retryable()) {
            return true;
        }
        return e instanceof AwsServiceException service
                && (service.isThrottlingException() || service.statusCode() >= 500);
    }
}
