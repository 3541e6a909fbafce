package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

class DynamoDbSettingsTest {

    @Test
    void givenOnlyTheRegion_whenReadingTheEnvironment_thenDefaultsApply() {
        DynamoDbSettings settings = DynamoDbSettings.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"));

        assertThat(settings.table()).isEqualTo(TableName.of("PortTracking"));
        assertThat(settings.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.maxAttempts()).isEqualTo(DynamoDbSettings.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void givenEverySetting_whenReadingTheEnvironment_thenEachIsUsed() {
        DynamoDbSettings settings = DynamoDbSettings.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
                "PORT_TABLE_NAME", "Ports-dev", "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000", "DYNAMODB_MAX_ATTEMPTS", "3"));

        assertThat(settings).isEqualTo(new DynamoDbSettings(TableName.of("Ports-dev"), Region.US_EAST_1,
                java.util.Optional.of(URI.create("http://127.0.0.1:8000")), 3));
    }

    @Test
    void givenNoRegion_whenReadingTheEnvironment_thenRefusedNamingTheVariable() {
        assertThatThrownBy(() -> DynamoDbSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_REGION");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "has space", "slash/", "ümlaut"})
    void givenIllegalTableName_whenCreated_thenRefused(String name) {
        assertThatThrownBy(() -> TableName.of(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tableName");
    }
}
