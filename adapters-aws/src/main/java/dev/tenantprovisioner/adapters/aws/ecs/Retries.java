package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.time.Duration;
import java.util.Random;

/**
 * How often a call that AWS answers "not now" (throttling, a passing state) is made before the adapter gives up, and the
 * pause before the first retry: doubled for each further one, its second half random, so callers in step drift apart
 * (the exponential backoff with jitter AWS asks for, e.g. "Use exponential backoff and retries when you make an API
 * call", re:Post Knowledge Center on CloudWatch Logs throttling; "use appropriate back off and retry logic",
 * Secrets Manager DeleteSecret API reference).
 */
public record Retries(int attempts, Duration firstPause) {

    public static final Retries DEFAULT = new Retries(4, Duration.ofMillis(250));

    public Retries {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: at least 1, was " + attempts);
        }
        if (firstPause.isNegative()) {
            throw new IllegalArgumentException("firstPause: must not be negative");
        }
    }

    /** The pause before retry {@code retry} (1 for the first): half of firstPause * 2^(retry-1), plus up to half. */
    Duration pause(int retry, Random random) {
        long full = firstPause.toMillis() << Math.min(retry - 1, 16);
        long half = full / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** Sleeps; an interrupt is kept and reported as a failure worth retrying later. */
    static void sleep(Duration pause, String before) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while waiting " + before, true, interrupted);
        }
    }
}
