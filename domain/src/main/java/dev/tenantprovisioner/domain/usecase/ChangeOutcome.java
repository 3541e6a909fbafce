package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.Optional;

/** What a suspend or a resume came to. */
public sealed interface ChangeOutcome {

    /** The tenant as the call left it; empty when there is no such tenant. */
    Optional<TenantStatus> tenant();

    /** The tenant is now as asked; {@code already} when it was so before this call. */
    record Changed(TenantStatus status, boolean already) implements ChangeOutcome {
        @Override
        public Optional<TenantStatus> tenant() {
            return Optional.of(status);
        }
    }

    /** No tenant of that id. */
    record NotFound(TenantId id) implements ChangeOutcome {
        @Override
        public Optional<TenantStatus> tenant() {
            return Optional.empty();
        }
    }

    /** The tenant is in a state the change makes no sense from (failed, deprovisioned...); nothing changed. */
    record Refused(TenantStatus status, String detail) implements ChangeOutcome {
        @Override
        public Optional<TenantStatus> tenant() {
            return Optional.of(status);
        }
    }

    /** Not now: the runtime is still busy with the tenant (its old container stopping); retrying soon will do. */
    record Busy(TenantStatus status, String detail) implements ChangeOutcome {
        @Override
        public Optional<TenantStatus> tenant() {
            return Optional.of(status);
        }
    }
}
