package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Objects;
import java.util.function.Function;

/** What a provision request came to. Infrastructure failures are exceptions, not outcomes. */
public sealed interface ProvisionOutcome {

    /** The one answer for whichever outcome this is; every case must be given, so none is forgotten. */
    <R> R map(
            Function<Provisioned, R> provisioned,
            Function<AlreadyProvisioned, R> already,
            Function<Rejected, R> rejected,
            Function<NoCapacity, R> noCapacity);

    /** This call gave the tenant its port (and, as far as it got, its container and email). */
    record Provisioned(TenantStatus status) implements ProvisionOutcome {
        public Provisioned {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public <R> R map(
                Function<Provisioned, R> provisioned,
                Function<AlreadyProvisioned, R> already,
                Function<Rejected, R> rejected,
                Function<NoCapacity, R> noCapacity) {
            return provisioned.apply(this);
        }
    }

    /** The tenant already had a port: same port, same task, same URL; resumed where it stood. */
    record AlreadyProvisioned(TenantStatus status) implements ProvisionOutcome {
        public AlreadyProvisioned {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public <R> R map(
                Function<Provisioned, R> provisioned,
                Function<AlreadyProvisioned, R> already,
                Function<Rejected, R> rejected,
                Function<NoCapacity, R> noCapacity) {
            return already.apply(this);
        }
    }

    /** Refused for a named reason; nothing changed. */
    record Rejected(TenantId tenant, Reason reason, String detail) implements ProvisionOutcome {
        public Rejected {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public <R> R map(
                Function<Provisioned, R> provisioned,
                Function<AlreadyProvisioned, R> already,
                Function<Rejected, R> rejected,
                Function<NoCapacity, R> noCapacity) {
            return rejected.apply(this);
        }
    }

    /** No port was free, or the runtime had no room; nothing is held for the tenant. */
    record NoCapacity(TenantId tenant, String reason) implements ProvisionOutcome {
        public NoCapacity {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public <R> R map(
                Function<Provisioned, R> provisioned,
                Function<AlreadyProvisioned, R> already,
                Function<Rejected, R> rejected,
                Function<NoCapacity, R> noCapacity) {
            return noCapacity.apply(this);
        }
    }

    enum Reason {
        /** The tenant was deprovisioned; provisioning again needs {@code revive}. */
        DEPROVISIONED,
        /** The tenant exists with another email address. */
        EMAIL_MISMATCH
    }
}
