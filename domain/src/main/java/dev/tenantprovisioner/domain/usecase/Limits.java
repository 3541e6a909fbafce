package dev.tenantprovisioner.domain.usecase;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a deployment takes on at once, counted in the registry (so across any number of processes): at most
 * {@code maxActiveTenants} tenants hold a port (a suspended tenant too: it keeps its port and link, and comes back
 * without asking), and at most {@code maxConcurrentProvisions} calls start a container for a tenant that has none (a
 * new lease, a resume) at the same time, each holding a slot for {@code slotHold} at most. {@link Integer#MAX_VALUE}
 * is no limit.
 */
public record Limits(int maxActiveTenants, int maxConcurrentProvisions, Duration slotHold) {

    /** Longer than any one call runs (the task-event function's 60 s timeout), so a live call never loses its slot. */
    public static final Duration DEFAULT_SLOT_HOLD = Duration.ofMinutes(2);

    public Limits {
        Objects.requireNonNull(slotHold, "slotHold");
        if (maxActiveTenants < 1 || maxConcurrentProvisions < 1) {
            throw new IllegalArgumentException("limits: must be at least 1");
        }
        if (slotHold.isNegative() || slotHold.isZero()) {
            throw new IllegalArgumentException("slotHold: must be positive");
        }
    }

    public static Limits none() {
        return new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, DEFAULT_SLOT_HOLD);
    }

    public boolean limitsConcurrency() {
        return maxConcurrentProvisions != Integer.MAX_VALUE;
    }
}
