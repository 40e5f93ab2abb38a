package dev.nodeagent.agent.reconcilers.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * The skew between the local clock and a server's {@code Date} header, pure. {@code Date} has one-second
 * resolution (truncated) and arrives after a round trip, so the server's time lies in
 * [date, date + 1 s] at some local instant between sending and receiving: the skew estimate is the local midpoint
 * minus (date + 0.5 s), and it is only called a skew beyond {@code bound} plus that uncertainty (0.5 s + half the
 * round trip). Positive: the local clock is ahead.
 */
record Skew(Duration skew, Duration uncertainty) {

    static Skew of(Instant sent, Instant received, Instant serverDate) {
        Duration rtt = Duration.between(sent, received);
        Instant localMid = sent.plus(rtt.dividedBy(2));
        Instant serverMid = serverDate.plusMillis(500);
        return new Skew(Duration.between(serverMid, localMid), rtt.dividedBy(2).plusMillis(500));
    }

    boolean beyond(Duration bound) {
        return skew.abs().compareTo(bound.plus(uncertainty)) > 0;
    }

    /** "3m2s ahead of", "1.2s behind". */
    String describe() {
        long ms = Math.abs(skew.toMillis());
        String amount = ms >= 60_000 ? (ms / 60_000) + "m" + (ms % 60_000) / 1000 + "s" : String.format("%.1fs", ms / 1000.0);
        return amount + (skew.isNegative() ? " behind" : " ahead of");
    }
}
