package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TaskId;
import java.util.Objects;

/** What a start produced: a task, no room for one, or a host port that something else already uses. */
public sealed interface StartOutcome {

    record Started(TaskId task) implements StartOutcome {
        public Started {
            Objects.requireNonNull(task, "task");
        }
    }

    /** Nothing was placed; {@code reason} is the runtime's own word (e.g. {@code RESOURCE:MEMORY}). */
    record NoCapacity(String reason) implements StartOutcome {
        public NoCapacity {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Nothing was placed because the host port is taken by something the registry does not know of (a
     * foreign process, a container that outlived its lease). Another port may well work.
     */
    record PortInUse(String reason) implements StartOutcome {
        public PortInUse {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
