package dev.tenantprovisioner.domain.model;

import java.util.Objects;

/** The runtime's handle on a tenant's container (an ECS task ARN, a process id...). Opaque to the domain. */
public record TaskId(String value) {

    public static final int MAX_LENGTH = 1024;

    public TaskId {
        Objects.requireNonNull(value, "taskId: must not be null");
        if (value.isBlank()) {
            throw new InvalidValueException("taskId", "must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException("taskId", "must be at most " + MAX_LENGTH + " characters");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidValueException("taskId", "must be printable ASCII without spaces");
        }
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
