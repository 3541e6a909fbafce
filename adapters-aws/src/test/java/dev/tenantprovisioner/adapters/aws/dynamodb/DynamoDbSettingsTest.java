package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DynamoDbSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ab", "has space", "slash/", "ümlaut"})
    void givenIllegalTableName_whenCreated_thenRefused(String name) {
        assertThatThrownBy(() -> TableName.of(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tableName");
    }
}
