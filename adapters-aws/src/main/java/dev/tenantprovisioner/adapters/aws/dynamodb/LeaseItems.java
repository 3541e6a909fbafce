package dev.tenantprovisioner.adapters.aws.dynamodb;

import dev.tenantprovisioner.domain.model.Billing;
import dev.tenantprovisioner.domain.model.Crashes;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.NotificationState;
import dev.tenantprovisioner.domain.model.Step;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps a {@link Lease} to its DynamoDB item and back. Absent optionals are absent attributes. */
final class LeaseItems {

    static final String VERSION = "version";
    static final String GENERATION = "generation";
    static final String PORT = "port";

    private LeaseItems() {}

    static Map<String, AttributeValue> toItem(Lease lease) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.tenant(lease.tenant()));
        item.put("tenant", Keys.s(lease.tenant().value()));
        lease.email().ifPresent(e -> item.put("email", Keys.s(e.value())));
        item.put("state", Keys.s(lease.state().name()));
        lease.port().ifPresent(p -> item.put(PORT, Keys.n(p.value())));
        lease.task().ifPresent(t -> item.put("task", Keys.s(t.value())));
        lease.host().ifPresent(h -> item.put("host", Keys.s(h.value())));
        item.put("notification", Keys.s(lease.notification().name()));
        lease.notificationClaimedAt().ifPresent(at -> item.put("notificationClaimedAt", Keys.s(at.toString())));
        lease.failure().ifPresent(f -> item.put("failure", Keys.s(f)));
        item.put(GENERATION, Keys.n(lease.generation()));
        item.put("restarts", Keys.n(lease.restarts()));
        item.put(VERSION, Keys.n(lease.version()));
        item.put("createdAt", Keys.s(lease.createdAt().toString()));
        item.put("updatedAt", Keys.s(lease.updatedAt().toString()));
        lease.startedAt().ifPresent(at -> item.put("startedAt", Keys.s(at.toString())));
        if (lease.databaseReady()) {
            item.put("databaseReady", AttributeValue.fromBool(true));
        }
        if (lease.sleeping()) {
            item.put("sleeping", AttributeValue.fromBool(true));
        }
        lease.billing().ifPresent(billing -> {
            billing.customer().ifPresent(id -> item.put("billingCustomer", Keys.s(id)));
            billing.subscription().ifPresent(id -> item.put("billingSubscription", Keys.s(id)));
            item.put("billingEventAt", Keys.s(billing.lastEventAt().toString()));
        });
        // The listing index (every lease) and the sparse attention index (only leases a sweep must look at).
        item.put(PortTable.LIST_KEY, Keys.s("LEASE"));
        item.put(PortTable.LIST_ORDER, Keys.s(lease.createdOrder()));
        if (lease.needsAttention()) {
            item.put(PortTable.ATTENTION_KEY, Keys.s("ATTENTION"));
            item.put(PortTable.ATTENTION_ORDER, Keys.s(lease.updatedOrder()));
        }
        lease.crashes().ifPresent(crashes -> {
            item.put("crashCount", Keys.n(crashes.count()));
            item.put("crashSince", Keys.s(crashes.since().toString()));
            crashes.restartAt().ifPresent(at -> item.put("restartAt", Keys.s(at.toString())));
        });
        lease.announcedHost().ifPresent(h -> item.put("announcedHost", Keys.s(h.value())));
        lease.forgetAt().ifPresent(at -> {
            item.put("forgetAt", Keys.s(at.toString()));
            // The table's time to live: DynamoDB deletes the tombstone some time after this (up to days later).
            item.put(PortTable.EXPIRY_ATTRIBUTE, Keys.n(at.getEpochSecond()));
        });
        if (!lease.timeline().isEmpty()) {
            item.put(
                    "timeline",
                    AttributeValue.fromL(
                            lease.timeline().stream().map(LeaseItems::stepItem).toList()));
        }
        return item;
    }

    static Lease fromItem(Map<String, AttributeValue> item) {
        Lease.Builder lease = Lease.Builder.restore(
                        TenantId.of(string(item, "tenant")),
                        TenantState.valueOf(string(item, "state")),
                        Instant.parse(string(item, "createdAt")))
                .email(optional(item, "email", Email::of).orElse(null))
                .port(Optional.ofNullable(item.get(PORT))
                        .map(v -> HostPort.of(Integer.parseInt(v.n())))
                        .orElse(null))
                .task(optional(item, "task", TaskId::of).orElse(null))
                .host(optional(item, "host", Ipv4Address::of).orElse(null))
                .notification(NotificationState.valueOf(string(item, "notification")))
                .notificationClaimedAt(
                        optional(item, "notificationClaimedAt", Instant::parse).orElse(null))
                .failure(optional(item, "failure", Function.identity()).orElse(null))
                .generation(number(item, GENERATION))
                .restarts(number(item, "restarts"))
                .version(Long.parseLong(item.get(VERSION).n()))
                .updatedAt(Instant.parse(string(item, "updatedAt")))
                .startedAt(optional(item, "startedAt", Instant::parse).orElse(null))
                .databaseReady(Optional.ofNullable(item.get("databaseReady"))
                        .map(v -> Boolean.TRUE.equals(v.bool()))
                        .orElse(false))
                .sleeping(Optional.ofNullable(item.get("sleeping"))
                        .map(v -> Boolean.TRUE.equals(v.bool()))
                        .orElse(false))
                .billing(optional(item, "billingEventAt", Instant::parse)
                        .map(at -> new Billing(
                                optional(item, "billingCustomer", Function.identity()),
                                optional(item, "billingSubscription", Function.identity()),
                                at))
                        .orElse(null))
                .timeline(Optional.ofNullable(item.get("timeline"))
                        .filter(AttributeValue::hasL)
                        .map(list -> list.l().stream().map(LeaseItems::step).toList())
                        .orElse(List.of()))
                .crashes(optional(item, "crashSince", Instant::parse)
                        .map(since -> new Crashes(
                                number(item, "crashCount"), since, optional(item, "restartAt", Instant::parse)))
                        .orElse(null))
                .announcedHost(optional(item, "announcedHost", Ipv4Address::of).orElse(null))
                .forgetAt(optional(item, "forgetAt", Instant::parse).orElse(null));
        return lease.build();
    }

    private static AttributeValue stepItem(Step step) {
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("step", Keys.s(step.name()));
        fields.put("at", Keys.s(step.at().toString()));
        step.detail().ifPresent(detail -> fields.put("detail", Keys.s(detail)));
        return AttributeValue.fromM(fields);
    }

    private static Step step(AttributeValue value) {
        Map<String, AttributeValue> fields = value.m();
        return new Step(
                string(fields, "step"),
                Instant.parse(string(fields, "at")),
                optional(fields, "detail", Function.identity()));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException(
                    "lease item " + Keys.describe(item) + " lacks the string attribute " + name);
        }
        return value.s();
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw new IllegalStateException(
                    "lease item " + Keys.describe(item) + " lacks the number attribute " + name);
        }
        return Integer.parseInt(value.n());
    }

    private static <T> Optional<T> optional(Map<String, AttributeValue> item, String name, Function<String, T> parse) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s).map(parse);
    }
}
