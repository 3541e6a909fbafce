package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's phase, the public address of the host it runs on once known, and the runtime's own word on
 * it: why it stopped, or where a pending task waits (e.g. {@code PROVISIONING}). {@code noCapacity} marks
 * a task that stopped before it ever ran because no host had room for it; {@code startAgain} one that stopped before it
 * ran for a reason a new start is expected to get past (what it needed was not readable yet); {@code cleanExit} one whose
 * app ended by itself with success (exit code 0), which a restart policy of "on failure" leaves stopped.
 */
public record ContainerStatus(
        Phase phase,
        Optional<Ipv4Address> host,
        Optional<String> reason,
        boolean noCapacity,
        boolean startAgain,
        boolean cleanExit) {

    /** {@code STOPPING}: on its way down but maybe still listening; only {@code STOPPED} and {@code GONE} are over. */
    public enum Phase {
        PENDING,
        RUNNING,
        STOPPING,
        STOPPED,
        GONE
    }

    public ContainerStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(reason, "reason");
        if (noCapacity && phase != Phase.STOPPED) {
            throw new IllegalArgumentException("only a stopped task can have stopped for lack of capacity");
        }
        if (startAgain && (phase != Phase.STOPPED || noCapacity)) {
            throw new IllegalArgumentException("only a task stopped for another reason than capacity is started again");
        }
        if (cleanExit && (phase != Phase.STOPPED || noCapacity || startAgain)) {
            throw new IllegalArgumentException("only a task that ran and stopped can have exited cleanly");
        }
    }

    public ContainerStatus(
            Phase phase, Optional<Ipv4Address> host, Optional<String> reason, boolean noCapacity, boolean startAgain) {
        this(phase, host, reason, noCapacity, startAgain, false);
    }

    public ContainerStatus(Phase phase, Optional<Ipv4Address> host, Optional<String> reason, boolean noCapacity) {
        this(phase, host, reason, noCapacity, false);
    }

    public static ContainerStatus pending() {
        return new ContainerStatus(Phase.PENDING, Optional.empty(), Optional.empty(), false);
    }

    /** Not running yet; {@code detail} says where it waits, in the runtime's words. */
    public static ContainerStatus pending(String detail) {
        return new ContainerStatus(Phase.PENDING, Optional.empty(), Optional.ofNullable(detail), false);
    }

    public static ContainerStatus running(Optional<Ipv4Address> host) {
        return new ContainerStatus(Phase.RUNNING, host, Optional.empty(), false);
    }

    public static ContainerStatus stopping(String reason) {
        return new ContainerStatus(Phase.STOPPING, Optional.empty(), Optional.ofNullable(reason), false);
    }

    public static ContainerStatus stopped(String reason) {
        return new ContainerStatus(Phase.STOPPED, Optional.empty(), Optional.ofNullable(reason), false);
    }

    /** Stopped without ever running, because no host had room (the runtime's reason says which resource). */
    public static ContainerStatus noCapacity(String reason) {
        return new ContainerStatus(Phase.STOPPED, Optional.empty(), Optional.of(reason), true);
    }

    /**
     * Stopped before it ever ran because something it needed was not there yet (on ECS: its secret, which Secrets
     * Manager, being eventually consistent, did not serve yet); a new start is expected to work.
     */
    public static ContainerStatus failedToStart(String reason) {
        return new ContainerStatus(Phase.STOPPED, Optional.empty(), Optional.of(reason), false, true);
    }

    /** Its app ended by itself with success (exit code 0): stopped, but not for a failure. */
    public static ContainerStatus exited(String reason) {
        return new ContainerStatus(Phase.STOPPED, Optional.empty(), Optional.ofNullable(reason), false, false, true);
    }

    public static ContainerStatus gone() {
        return new ContainerStatus(Phase.GONE, Optional.empty(), Optional.empty(), false);
    }

    /** Whether nothing of the task can be listening any more. */
    public boolean ended() {
        return phase == Phase.STOPPED || phase == Phase.GONE;
    }
}
