package dev.tenantprovisioner.domain.model;

/** A TCP port on the container host. Whether it is in the pool is the {@link PortPool}'s call. */
public record HostPort(int value) implements Comparable<HostPort> {

    public HostPort {
        if (value < 1 || value > 65535) {
            throw new InvalidValueException("port", "must be between 1 and 65535, was " + value);
        }
    }

    public static HostPort of(int value) {
        return new HostPort(value);
    }

    @Override
    public int compareTo(HostPort other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
