package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/** A task's phase, the public address of the host it runs on once known, and why it stopped. */
public record ContainerStatus(Phase phase, Optional<Ipv4Address> host, Optional<String> reason) {

    public enum Phase { PENDING, RUNNING, STOPPED, GONE }

    public ContainerStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(reason, "reason");
    }

    public static ContainerStatus pending() {
        return new ContainerStatus(Phase.PENDING, Optional.empty(), Optional.empty());
    }

    public static ContainerStatus running(Optional<Ipv4Address> host) {
        return new ContainerStatus(Phase.RUNNING, host, Optional.empty());
    }

    public static ContainerStatus stopped(String reason) {
        return new ContainerStatus(Phase.STOPPED, Optional.empty(), Optional.ofNullable(reason));
    }

    public static ContainerStatus gone() {
        return new ContainerStatus(Phase.GONE, Optional.empty(), Optional.empty());
    }
}
