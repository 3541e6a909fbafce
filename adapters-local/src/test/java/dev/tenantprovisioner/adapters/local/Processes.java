package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerStatus;

/** Waiting helpers for tests that start real processes. */
final class Processes {

    /** Generous: a cold JVM on a loaded two-core machine can take seconds to bind its port. */
    static final long STARTUP_BOUND_MILLIS = 60_000;

    private Processes() {}

    static void awaitRunning(ProcessContainerRuntime runtime, TaskId task) {
        long deadline = System.currentTimeMillis() + STARTUP_BOUND_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            ContainerStatus status = runtime.status(task);
            if (status.phase() == ContainerStatus.Phase.RUNNING) {
                return;
            }
            if (status.phase() != ContainerStatus.Phase.PENDING) {
                throw new AssertionError(task + " ended before it ran: " + status);
            }
            sleep(50);
        }
        throw new AssertionError(task + " was not running after " + STARTUP_BOUND_MILLIS + " ms");
    }

    /** The demo app's command line, quoted for /bin/sh. */
    static String demoAppCommandLine() {
        return TenantCommand.demoApp().argv().stream()
                .map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", interrupted);
        }
    }
}
