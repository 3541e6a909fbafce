package dev.tenantprovisioner.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's container stopping without being asked, again and again: how many times within the current window
 * (which began with the crash at {@code since}), and when the next start is due while one is ({@code restartAt}).
 */
public record Crashes(int count, Instant since, Optional<Instant> restartAt) {

    public Crashes {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(restartAt, "restartAt");
        if (count < 1) {
            throw new InvalidValueException("crashes", "a crash streak counts at least one crash, was " + count);
        }
    }

    /**
     * The streak after a crash at {@code now}: one more in the window that began with {@code before}'s first crash, or
     * the first of a new window once {@code window} has passed since then. No start is due yet.
     */
    public static Crashes after(Optional<Crashes> before, Instant now, Duration window) {
        return before.filter(streak -> streak.since.plus(window).isAfter(now))
                .map(streak -> new Crashes(streak.count + 1, streak.since, Optional.empty()))
                .orElseGet(() -> new Crashes(1, now, Optional.empty()));
    }

    /** The same streak, with a start due at {@code at}. */
    public Crashes restartingAt(Instant at) {
        return new Crashes(count, since, Optional.of(at));
    }

    /** The same streak once its start has begun: nothing is due any more. */
    public Crashes started() {
        return new Crashes(count, since, Optional.empty());
    }
}
