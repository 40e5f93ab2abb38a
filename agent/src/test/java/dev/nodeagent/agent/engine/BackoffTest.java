package dev.nodeagent.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A "random" source that always answers the same fraction. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.2);

    @Test
    void doublesPerFailureUpToTheCapWithoutJitterAtTheMidpoint() {
        RandomGenerator mid = fixed(0.5);
        long[] expected = {1, 2, 4, 8, 16, 30, 30, 30};
        for (int n = 1; n <= expected.length; n++) {
            assertEquals(Duration.ofSeconds(expected[n - 1]), backoff.afterFailures(n, mid), "failure " + n);
        }
    }

    @Test
    void jitterSpreadsByAtMostTwentyPercentEitherWay() {
        assertEquals(Duration.ofMillis(3200), backoff.afterFailures(3, fixed(0.0)));
        assertEquals(Duration.ofMillis(4800), backoff.afterFailures(3, fixed(1.0)));
        RandomGenerator seeded = RandomGenerator.of("L64X128MixRandom");
        for (int i = 0; i < 1000; i++) {
            long ms = backoff.interval(Duration.ofSeconds(10), seeded).toMillis();
            assertTrue(ms >= 8000 && ms <= 12000, ms + " outside 10s ±20%");
        }
    }

    @Test
    void backoffNeverWaitsLongerThanTheInterval() {
        RandomGenerator mid = fixed(0.5);
        long[] expected = {1, 2, 2, 2, 2};
        for (int n = 1; n <= expected.length; n++) {
            assertEquals(Duration.ofSeconds(expected[n - 1]),
                    backoff.afterFailures(n, Duration.ofSeconds(2), mid), "failure " + n + " at interval 2s");
        }
        assertEquals(Duration.ofSeconds(30), backoff.afterFailures(10, Duration.ofHours(1), mid));
    }

    @Test
    void aHugeFailureCountStaysAtTheCap() {
        assertEquals(Duration.ofSeconds(30), backoff.afterFailures(10_000, fixed(0.5)));
    }

    @Test
    void nonsensePoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(9), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(9), 1.0));
    }
}
