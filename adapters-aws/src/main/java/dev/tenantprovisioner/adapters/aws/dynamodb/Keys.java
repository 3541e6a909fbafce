package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item keys. A tenant's lease and a port's owner are single items; the {@code POOL} partition is
 * sorted by port and holds one item per released port plus the high-water mark, whose sort key is
 * above every port, so the first item of the partition is always the next port to hand out. The
 * {@code HELD} partition holds the ports given up while something may still listen on them: neither
 * owned nor in the pool, so nobody is handed them until they move back to {@code POOL}. Billing keeps
 * {@code SUB#id} (which tenant a subscription pays for, or its early cancellation) and {@code EVENT#id} (an applied
 * billing event, until its {@code expiresAt}, the table's time-to-live attribute). The limits keep {@code COUNT}
 * (how many tenants hold a port, moved by the same transactions that move ports) and the {@code SLOT} partition (one
 * item per provision slot taken, sorted by slot, each until its {@code expiresAt}).
 */
final class Keys {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String TENANT_PREFIX = "TENANT#";
    static final String POOL = "POOL";
    static final String HELD = "HELD";
    static final String COUNT = "COUNT";
    static final String SLOT = "SLOT";
    /** Above 65535, so it sorts after every released port. */
    static final int HIGH_WATER_SK = 65536;

    static final String NEXT = "next";
    static final String OWNER = "owner";

    private Keys() {}

    static Map<String, AttributeValue> tenant(TenantId tenant) {
        return key(TENANT_PREFIX + tenant.value(), 0);
    }

    static Map<String, AttributeValue> port(int port) {
        return key("PORT#" + port, 0);
    }

    static Map<String, AttributeValue> released(int port) {
        return key(POOL, port);
    }

    static Map<String, AttributeValue> held(int port) {
        return key(HELD, port);
    }

    static Map<String, AttributeValue> subscription(String id) {
        return key("SUB#" + id, 0);
    }

    static Map<String, AttributeValue> event(String id) {
        return key("EVENT#" + id, 0);
    }

    static Map<String, AttributeValue> counter() {
        return key(COUNT, 0);
    }

    static Map<String, AttributeValue> slot(int index) {
        return key(SLOT, index);
    }

    static Map<String, AttributeValue> highWater() {
        return key(POOL, HIGH_WATER_SK);
    }

    static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of(PK, s(pk), SK, n(sk));
    }

    static String describe(Map<String, AttributeValue> key) {
        return key.get(PK).s() + "/" + key.get(SK).n();
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
