package dev.nodeagent.agent.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Pure retry policy: after the n-th failure in a row wait {@code initial × factor^(n-1)}, at most {@code cap},
 * spread by ±{@code jitter} so a fleet restarted together does not retry in lockstep. Success resets n to 0,
 * which brings the reconciler back to its normal interval.
 */
public record Backoff(Duration initial, double factor, Duration cap, double jitter) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(2), 0.2);

    public Backoff {
        if (initial.isNegative() || initial.isZero() || factor < 1.0 || cap.compareTo(initial) < 0
                || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("bad backoff " + initial + " x" + factor + " cap " + cap + " ±" + jitter);
        }
    }

    /** Delay after {@code failures} consecutive failures (≥ 1). */
    public Duration afterFailures(int failures, RandomGenerator random) {
        double base = initial.toMillis() * Math.pow(factor, Math.max(0, failures - 1));
        return spread(Math.min(base, cap.toMillis()), random);
    }

    /**
     * Delay after {@code failures} consecutive failures, never longer than the reconciler's regular
     * {@code interval}: retrying a failing reconciler less often than a healthy one would defeat the interval
     * (a 2 s reconciler used to wait 16 s after its fourth failure).
     */
    public Duration afterFailures(int failures, Duration interval, RandomGenerator random) {
        double base = initial.toMillis() * Math.pow(factor, Math.max(0, failures - 1));
        return spread(Math.min(base, Math.min(cap.toMillis(), interval.toMillis())), random);
    }

    /** The regular interval, spread by the same jitter. */
    public Duration interval(Duration interval, RandomGenerator random) {
        return spread(interval.toMillis(), random);
    }

    private Duration spread(double millis, RandomGenerator random) {
        double f = 1.0 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(millis * f)));
    }
}
