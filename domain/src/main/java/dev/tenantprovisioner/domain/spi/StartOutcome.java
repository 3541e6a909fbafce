package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TaskId;
import java.util.Objects;

/** What a start produced: a task, no room for one, or a host port that something else already uses. */
public sealed interface StartOutcome {

    /**
     * A task was started (or found started by an earlier call with the same token). {@code notRunningYet}: the
     * runtime's own answer to the start says the task is not running yet (ECS answers RunTask with the task in
     * {@code PROVISIONING} or {@code PENDING}), so asking for its status at once would learn nothing and cost a request;
     * its next event, or the next call, asks.
     */
    record Started(TaskId task, boolean notRunningYet) implements StartOutcome {
        public Started {
            Objects.requireNonNull(task, "task");
        }

        /** Started, with nothing said about whether it runs yet: its status is asked at once. */
        public Started(TaskId task) {
            this(task, false);
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
