package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a whole table and checks that every port of the pool is accounted for exactly once: owned by
 * the one lease that names it, held back, released, or not handed out yet (at or above the mark). A port
 * in none of these is lost; a port in two is given out twice. The count of tenants holding a port, where the table
 * has one, is the number of owned ports.
 */
final class PortAudit {

    private PortAudit() {}

    static void assertConsistent(DynamoDbClient client, TableName table, PortPool pool) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(r -> r.tableName(table.value()).consistentRead(true))
                .items()
                .forEach(items::add);
        Map<Integer, String> leasedBy = new HashMap<>();
        Map<Integer, String> owners = new HashMap<>();
        Set<Integer> released = new TreeSet<>();
        Set<Integer> held = new TreeSet<>();
        int mark = pool.first();
        Long counted = null;
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get(Keys.PK).s();
            if (pk.equals(Keys.COUNT)) {
                counted = Long.parseLong(item.get(ActiveCount.ACTIVE).n());
            } else if (pk.equals(Keys.SLOT) || pk.startsWith("SUB#") || pk.startsWith("EVENT#")) {
                continue;
            } else if (pk.startsWith(Keys.TENANT_PREFIX)) {
                Lease lease = LeaseItems.fromItem(item);
                lease.port()
                        .ifPresent(port -> assertThat(leasedBy.put(
                                        port.value(), lease.tenant().value()))
                                .as("port %s named by two leases", port)
                                .isNull());
            } else if (pk.startsWith("PORT#")) {
                owners.put(
                        Integer.parseInt(pk.substring("PORT#".length())),
                        item.get(Keys.OWNER).s());
            } else if (pk.equals(Keys.HELD)) {
                held.add(Integer.parseInt(item.get(Keys.SK).n()));
            } else if (Integer.parseInt(item.get(Keys.SK).n()) == Keys.HIGH_WATER_SK) {
                mark = Integer.parseInt(item.get(Keys.NEXT).n());
            } else {
                released.add(Integer.parseInt(item.get(Keys.SK).n()));
            }
        }
        assertThat(owners).as("port owner items match the leases").isEqualTo(leasedBy);
        if (counted != null) {
            assertThat(counted).as("the count of tenants holding a port").isEqualTo(owners.size());
        }
        for (int port = pool.first(); port <= pool.last(); port++) {
            if (!pool.contains(port)) {
                assertThat(owners).doesNotContainKey(port);
                assertThat(released).doesNotContain(port);
                assertThat(held).doesNotContain(port);
                continue;
            }
            int places = (owners.containsKey(port) ? 1 : 0)
                    + (released.contains(port) ? 1 : 0)
                    + (held.contains(port) ? 1 : 0)
                    + (port >= mark ? 1 : 0);
            assertThat(places)
                    .as("port %s is owned, held, released or above the mark %s exactly once", port, mark)
                    .isEqualTo(1);
        }
    }
}
