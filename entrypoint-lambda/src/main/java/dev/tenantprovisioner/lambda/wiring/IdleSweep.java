package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import java.util.Optional;

/**
 * The sweep's idle suspension: present when {@code IDLE_SUSPEND_AFTER} is set, reading traffic from Container
 * Insights.
 */
public record IdleSweep(Optional<SuspendIdleTenants> suspend) {

    public static IdleSweep off() {
        return new IdleSweep(Optional.empty());
    }
}
