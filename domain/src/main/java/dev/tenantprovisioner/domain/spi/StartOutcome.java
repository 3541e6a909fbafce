package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TaskId;
import java.util.Objects;

/** What a start produced: a task, or no room for one. */
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
}
