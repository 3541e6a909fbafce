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
            Function<NoCapacity, R> noCapacity,
            Function<LimitReached, R> limitReached);

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
                Function<NoCapacity, R> noCapacity,
                Function<LimitReached, R> limitReached) {
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
                Function<NoCapacity, R> noCapacity,
                Function<LimitReached, R> limitReached) {
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
                Function<NoCapacity, R> noCapacity,
                Function<LimitReached, R> limitReached) {
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
                Function<NoCapacity, R> noCapacity,
                Function<LimitReached, R> limitReached) {
            return noCapacity.apply(this);
        }
    }

    /**
     * Refused because the deployment takes on no more now ({@link Limits}): too many tenants hold a port (a client's
     * matter: remove some, or raise the limit) or too many provisions run at once (try again soon). Nothing was made:
     * no port, no lease, no container.
     */
    record LimitReached(TenantId tenant, Limit limit, String detail) implements ProvisionOutcome {
        public LimitReached {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public <R> R map(
                Function<Provisioned, R> provisioned,
                Function<AlreadyProvisioned, R> already,
                Function<Rejected, R> rejected,
                Function<NoCapacity, R> noCapacity,
                Function<LimitReached, R> limitReached) {
            return limitReached.apply(this);
        }
    }

    /** Which of the {@link Limits} a provision ran into. */
    enum Limit {
        /** {@code maxActiveTenants} tenants hold a port. */
        ACTIVE_TENANTS,
        /** {@code maxConcurrentProvisions} provisions are running. */
        CONCURRENT_PROVISIONS
    }

    enum Reason {
        /** The tenant was deprovisioned; provisioning again needs {@code revive}. */
        DEPROVISIONED,
        /** The tenant exists with another email address. */
        EMAIL_MISMATCH
    }
}
