package dev.tenantprovisioner.domain.usecase;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a billing event came to: the action taken (or {@code ignored}, with the reason), and the tenant as it left
 * it. {@link #retryLater} says the provider should deliver the event again (no capacity now, a container still
 * stopping, a limit reached); such an event is not remembered as applied.
 */
public record BillingOutcome(Action action, String detail, Optional<TenantStatus> tenant) {

    public enum Action {
        PROVISIONED,
        ALREADY_PROVISIONED,
        SUSPENDED,
        ALREADY_SUSPENDED,
        RESUMED,
        ALREADY_RUNNING,
        DEPROVISIONED,
        ALREADY_DEPROVISIONED,
        IGNORED,
        REJECTED,
        NO_CAPACITY,
        BUSY,
        LIMIT_REACHED;

        /** The action as the API names it: {@code already_provisioned}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BillingOutcome {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(tenant, "tenant");
    }

    static BillingOutcome ignored(String reason) {
        return new BillingOutcome(Action.IGNORED, reason, Optional.empty());
    }

    /** Whether the provider should deliver the event again later. */
    public boolean retryLater() {
        return action == Action.NO_CAPACITY || action == Action.BUSY || action == Action.LIMIT_REACHED;
    }
}
