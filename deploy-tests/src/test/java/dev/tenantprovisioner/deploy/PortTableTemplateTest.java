package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.aws.dynamodb.PortTable;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/** The table the template creates is the one the DynamoDB registry creates for itself in tests. */
class PortTableTemplateTest {

    @Test
    void givenTemplateTable_whenComparedWithTheRegistrysDefinition_thenKeysAndBillingAreTheSame() throws Exception {
        Map<String, Object> resource = SamTemplate.atRepositoryRoot().resource("PortTable");
        Map<String, Object> table = SamTemplate.map(resource, "Properties");
        CreateTableRequest registry = PortTable.definition(TableName.defaultName());

        assertThat(resource).containsEntry("Type", "AWS::DynamoDB::Table");
        assertThat(pairs(table, "KeySchema", "AttributeName", "KeyType"))
                .isEqualTo(registry.keySchema().stream()
                        .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
        assertThat(pairs(table, "AttributeDefinitions", "AttributeName", "AttributeType"))
                .isEqualTo(registry.attributeDefinitions().stream()
                        .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())));
        assertThat(table.get("BillingMode")).isEqualTo(registry.billingModeAsString());
    }

    @Test
    void givenTemplateTable_thenItHasTheRegistrysIndexesAndOnlyTheExpiryTheRegistryDeclares() throws Exception {
        Map<String, Object> table =
                SamTemplate.map(SamTemplate.atRepositoryRoot().resource("PortTable"), "Properties");
        CreateTableRequest registry = PortTable.definition(TableName.defaultName());

        // The indexes the registry queries, exactly; an expiry on another attribute could delete leases.
        Map<String, String> declared = new java.util.TreeMap<>();
        for (Object index : SamTemplate.list(table.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> gsi = SamTemplate.asMap(index);
            declared.put(
                    (String) gsi.get("IndexName"),
                    pairs(gsi, "KeySchema", "AttributeName", "KeyType") + " "
                            + SamTemplate.map(gsi, "Projection").get("ProjectionType"));
        }
        Map<String, String> expected = new java.util.TreeMap<>();
        registry.globalSecondaryIndexes()
                .forEach(gsi -> expected.put(
                        gsi.indexName(),
                        gsi.keySchema().stream()
                                        .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString()))
                                + " " + gsi.projection().projectionTypeAsString()));
        assertThat(declared).isEqualTo(expected).containsOnlyKeys(PortTable.BY_CREATED, PortTable.ATTENTION);
        assertThat(table).doesNotContainKeys("LocalSecondaryIndexes");
        assertThat(SamTemplate.map(table, "TimeToLiveSpecification"))
                .containsEntry("AttributeName", PortTable.EXPIRY_ATTRIBUTE)
                .containsEntry("Enabled", true);
    }

    private static Map<String, String> pairs(Map<String, Object> table, String list, String key, String value) {
        List<Object> items = SamTemplate.list(table.get(list));
        return items.stream()
                .map(SamTemplate::asMap)
                .collect(Collectors.toMap(
                        item -> String.valueOf(item.get(key)), item -> String.valueOf(item.get(value))));
    }
}
