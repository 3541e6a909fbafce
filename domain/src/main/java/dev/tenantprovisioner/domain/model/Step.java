package dev.tenantprovisioner.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a tenant's history, as its lease records it when it is stored: {@code allocated}, {@code started},
 * {@code running}, {@code emailed}, {@code stopped}, {@code restarting}, {@code suspended}, {@code failed},
 * {@code deprovisioned}..., with the time it was written and the reason the lease gave then (a failure, a suspension).
 */
public record Step(String name, Instant at, Optional<String> detail) {

    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detail, "detail");
    }
}
