package dev.tenantprovisioner.domain.spi;

import java.util.Objects;

/** What a {@link LinkProbe} found: the link answered (with this status), or not, and why. */
public sealed interface Readiness {

    record Ready(int status) implements Readiness {}

    record NotReady(String reason) implements Readiness {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
