package dev.tenantprovisioner.domain.usecase;

import java.util.Objects;

/** What a deprovision request came to. Repeating one is harmless and says so. */
public sealed interface DeprovisionOutcome {

    /** The tenant's lease after the request: a tombstone either way. */
    TenantStatus status();

    /** Whether it was deprovisioned before this request, so that nothing changed. */
    boolean already();

    /** The tenant is now a tombstone; {@code status} is its lease after the change. */
    record Deprovisioned(TenantStatus status) implements DeprovisionOutcome {
        public Deprovisioned {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public boolean already() {
            return false;
        }
    }

    /** It already was; nothing changed. */
    record AlreadyDeprovisioned(TenantStatus status) implements DeprovisionOutcome {
        public AlreadyDeprovisioned {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public boolean already() {
            return true;
        }
    }
}
