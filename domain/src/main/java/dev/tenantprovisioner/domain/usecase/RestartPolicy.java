package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.spi.ContainerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What happens to a container that stops without being asked (an exit, out of memory, its host gone, killed): started
 * again on its port ({@link Mode#ON_FAILURE}: unless its app exited with success; {@link Mode#ALWAYS}; or
 * {@link Mode#NEVER}, left stopped until a provision), after the {@code backoff} for the how-manieth crash it is (the
 * last one repeats), at most {@code maxRestarts} times within {@code window}: the crash after that fails the tenant
 * (a crash loop), and a provision or resume starts it afresh.
 */
public record RestartPolicy(Mode mode, int maxRestarts, Duration window, List<Duration> backoff) {

    /** As Docker's and Compose's restart policies name them. */
    public enum Mode {
        ON_FAILURE,
        ALWAYS,
        NEVER
    }

    public static final int DEFAULT_MAX_RESTARTS = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /** Quick for a one-off crash, then slower, so a crash loop costs little before it is given up on. */
    public static final List<Duration> DEFAULT_BACKOFF =
            List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(window, "window");
        backoff = List.copyOf(backoff);
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("maxRestarts: must be at least 1, was " + maxRestarts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: must be positive");
        }
        if (backoff.isEmpty() || backoff.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("backoff: at least one pause, none negative");
        }
    }

    public static RestartPolicy defaults() {
        return new RestartPolicy(Mode.ON_FAILURE, DEFAULT_MAX_RESTARTS, DEFAULT_WINDOW, DEFAULT_BACKOFF);
    }

    /** Whether a container that stopped as {@code status} says, without being asked, is started again. */
    public boolean restarts(ContainerStatus status) {
        return mode == Mode.ALWAYS || (mode == Mode.ON_FAILURE && !status.cleanExit());
    }

    /** The pause before the restart after the {@code crash}-th crash of a window (1 for the first). */
    public Duration backoffAfter(int crash) {
        return backoff.get(Math.min(Math.max(crash, 1), backoff.size()) - 1);
    }
}
