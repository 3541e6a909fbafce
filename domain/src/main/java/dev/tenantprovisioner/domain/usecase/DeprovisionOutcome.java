package dev.tenantprovisioner.domain.usecase;

import java.util.Objects;

/** What a deprovision request came to. Repeating one is harmless and says so. */
public sealed interface DeprovisionOutcome {

    /** The tenant is now a tombstone; {@code status} is its lease after the change. */
    record Deprovisioned(TenantStatus status) implements DeprovisionOutcome {
        public Deprovisioned {
            Objects.requireNonNull(status, "status");
        }
    }

    /** It already was; nothing changed. */
    record AlreadyDeprovisioned(TenantStatus status) implements DeprovisionOutcome {
        public AlreadyDeprovisioned {
            Objects.requireNonNull(status, "status");
        }
    }
}
