package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.HeldPort;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a held-back port may be handed out again: once the runtime reports the task that held it ended,
 * or once the grace period has passed since it was held back (then its task is asked to stop once more).
 */
final class HeldPorts {

    /** How many held ports one look at a task event scans; there are only as many as tasks stopping right now. */
    static final int SCAN_LIMIT = 1000;

    private final PortRegistry registry;
    private final ContainerRuntime runtime;

    HeldPorts(PortRegistry registry, ContainerRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    /** Frees the port held for {@code task} if the runtime says the task ended; whether it did. */
    boolean freeIfEnded(HostPort port, TaskId task) {
        return runtime.status(task).ended() && registry.freeHeldPort(port, Optional.of(task));
    }

    /** Frees the port held for {@code task}, wherever it is, if the task ended. */
    boolean freeHeldFor(TaskId task) {
        return registry.heldPorts(SCAN_LIMIT).stream()
                .filter(held -> held.task().equals(Optional.of(task)))
                .findFirst()
                .map(held -> freeIfEnded(held.port(), task))
                .orElse(false);
    }

    /** The sweep's part: frees {@code held} if its task ended or its grace has passed. */
    boolean settle(HeldPort held, Duration grace, Instant now) {
        if (held.task().isPresent() && freeIfEnded(held.port(), held.task().get())) {
            return true;
        }
        if (!held.since().plus(grace).isBefore(now)) {
            return false;
        }
        held.task().ifPresent(task -> runtime.stop(task, held.tenant(), StopReason.ABANDONED));
        return registry.freeHeldPort(held.port(), held.task());
    }
}
