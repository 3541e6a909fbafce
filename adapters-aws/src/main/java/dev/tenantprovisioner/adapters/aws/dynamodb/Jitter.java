package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The randomness behind backoff jitter. Jitter only works if callers that collided draw different delays;
 * a JVM restored from a snapshot (Lambda SnapStart) would otherwise replay the generator state every copy was
 * frozen with, so {@link #reseed} draws a fresh seed from {@link SecureRandom}, which the Lambda runtime keeps
 * unique per restored copy ("Handling uniqueness with Lambda SnapStart").
 */
final class Jitter {

    private SplittableRandom random;

    Jitter() {
        reseed();
    }

    /** A generator that starts from {@code seed}: two of them draw the same numbers, as two restored copies would. */
    Jitter(long seed) {
        this.random = new SplittableRandom(seed);
    }

    synchronized void reseed() {
        random = new SplittableRandom(new SecureRandom().nextLong());
    }

    /** A delay in {@code [0, bound]}. */
    synchronized long upTo(long bound) {
        return random.nextLong(bound + 1);
    }
}
