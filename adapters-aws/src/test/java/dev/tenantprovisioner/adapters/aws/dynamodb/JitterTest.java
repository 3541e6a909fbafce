package dev.tenantprovisioner.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class JitterTest {

    private static List<Long> draws(Jitter jitter) {
        return LongStream.range(0, 32).map(i -> jitter.upTo(100)).boxed().toList();
    }

    @Test
    void givenTwoCopiesRestoredFromOneSnapshot_whenNotReseeded_thenTheyBackOffInLockstep() {
        Jitter first = new Jitter(42);
        Jitter second = new Jitter(42);

        assertThat(draws(first)).isEqualTo(draws(second));
    }

    @Test
    void givenTwoCopiesRestoredFromOneSnapshot_whenReseededAfterRestore_thenTheirDelaysDiffer() {
        Jitter first = new Jitter(42);
        Jitter second = new Jitter(42);

        first.reseed();
        second.reseed();

        assertThat(draws(first)).isNotEqualTo(draws(second));
        assertThat(draws(first)).allSatisfy(delay -> assertThat(delay).isBetween(0L, 100L));
    }
}
