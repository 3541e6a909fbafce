package dev.tenantprovisioner.domain.model;

import java.util.Collections;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host ports that tenants may be given: a closed range minus reserved ports. The default skips
 * the ports an ECS container instance keeps for itself (SSH, the Docker daemon, the ECS agent).
 */
public record PortPool(int first, int last, Set<Integer> reserved) {

    public static final int DEFAULT_FIRST = 3000;
    public static final int DEFAULT_LAST = 65535;
    public static final Set<Integer> ECS_RESERVED = Set.of(22, 2375, 2376, 51678, 51679, 51680);

    public PortPool {
        if (first < 1 || first > 65535) {
            throw new InvalidValueException("portPool.first", "must be between 1 and 65535, was " + first);
        }
        if (last < first || last > 65535) {
            throw new InvalidValueException(
                    "portPool.last", "must be between first (" + first + ") and 65535, was " + last);
        }
        reserved = Collections.unmodifiableSet(new TreeSet<>(reserved));
        if (reserved.stream().filter(p -> p >= first && p <= last).count() == (long) last - first + 1) {
            throw new InvalidValueException("portPool.reserved", "leaves no port in " + first + "-" + last);
        }
    }

    public static PortPool defaults() {
        return new PortPool(DEFAULT_FIRST, DEFAULT_LAST, ECS_RESERVED);
    }

    /** A pool over {@code first..last} that still skips the ECS reserved ports. */
    public static PortPool range(int first, int last) {
        return new PortPool(first, last, ECS_RESERVED);
    }

    public boolean contains(int port) {
        return port >= first && port <= last && !reserved.contains(port);
    }

    public boolean contains(HostPort port) {
        return contains(port.value());
    }

    /** The lowest port of the pool. */
    public int lowest() {
        return nextFrom(first).orElseThrow();
    }

    /** The lowest port of the pool that is {@code >= port}, if any. */
    public OptionalInt nextFrom(int port) {
        for (int p = Math.max(port, first); p <= last; p++) {
            if (!reserved.contains(p)) {
                return OptionalInt.of(p);
            }
        }
        return OptionalInt.empty();
    }

    /** How many ports the pool holds. */
    public int size() {
        long inRange = reserved.stream().filter(p -> p >= first && p <= last).count();
        return (int) ((long) last - first + 1 - inRange);
    }
}
