package dev.tenantprovisioner.lambda.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbSettings;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.http.wiring.Env;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The DynamoDB settings as the function reads them from its environment (the one place they are read). */
class AwsSettingsTest {

    private static Map<String, String> withEcsAndResend(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("ECS_CLUSTER", "tenants");
        env.put("ECS_TASK_DEFINITION", "tenant-app");
        env.put("ECS_CONTAINER_NAME", "app");
        env.put("RESEND_API_KEY", "re_test_key");
        env.put("RESEND_FROM", "Acme <welcome@acme.dev>");
        return env;
    }

    private static DynamoDbSettings read(Map<String, String> variables) {
        Env env = new Env(withEcsAndResend(variables));
        AwsSettings settings = AwsSettings.from(env, Optional.empty(), true);
        env.check();
        return settings.dynamoDb();
    }

    @Test
    void givenOnlyTheRegion_whenReadingTheEnvironment_thenDefaultsApply() {
        DynamoDbSettings settings = read(Map.of("AWS_REGION", "eu-west-1"));

        assertThat(settings.table()).isEqualTo(TableName.of("PortTracking"));
        assertThat(settings.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.maxAttempts()).isEqualTo(DynamoDbSettings.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void givenEverySetting_whenReadingTheEnvironment_thenEachIsUsed() {
        DynamoDbSettings settings = read(Map.of(
                "AWS_REGION",
                "us-east-1",
                "PORT_TABLE_NAME",
                "Ports-dev",
                "DYNAMODB_ENDPOINT",
                "http://127.0.0.1:8000",
                "DYNAMODB_MAX_ATTEMPTS",
                "3"));

        assertThat(settings)
                .isEqualTo(new DynamoDbSettings(
                        TableName.of("Ports-dev"),
                        Region.US_EAST_1,
                        Optional.of(URI.create("http://127.0.0.1:8000")),
                        3));
    }

    @Test
    void givenNoRegion_whenReadingTheEnvironment_thenRefusedNamingTheVariable() {
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(Env.ConfigurationException.class)
                .hasMessageContaining("AWS_REGION");
    }
}
