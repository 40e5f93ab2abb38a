package dev.nodeagent.agent.reconcilers.pathprobe;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds the largest don't-fragment packet a path carries, with as few probes as it can: the link MTU first (a
 * healthy path answers at once), then straight to any MTU an ICMP "fragmentation needed" named, else a binary
 * search between the last size that was answered and the first that was not. With the previous pass's answer it
 * only verifies it (that size answered, one byte more not): two probes while nothing changes. Never more than
 * {@code maxProbes} probes; a search cut short reports the largest size known to pass. Pure: the probing is
 * {@link Prober}'s.
 */
final class PathMtuSearch {

    /** One probe of {@code size} bytes: whether it was answered, and an MTU the network reported, if any. */
    record Answer(boolean replied, Optional<Integer> reportedMtu) {
    }

    @FunctionalInterface
    interface Prober {
        Answer probe(int size) throws IOException, InterruptedException;
    }

    /**
     * {@code mtu}: the largest size answered; {@code exact}: one byte more was not (or it is the ceiling);
     * {@code icmpSeen}: some probe got an MTU named back (PMTU discovery works); {@code probes} sent.
     */
    record Measurement(int mtu, boolean exact, boolean icmpSeen, int probes) {
    }

    private final Prober prober;
    private final int maxProbes;
    private int probes;
    private boolean icmpSeen;
    private Optional<Integer> lastReported = Optional.empty();

    private PathMtuSearch(Prober prober, int maxProbes) {
        this.prober = prober;
        this.maxProbes = maxProbes;
    }

    /**
     * @param floor a size known to be answered (the reachability probe's)
     * @param ceiling the MTU of the link the route leaves by: nothing larger can be sent
     * @param previous the last pass's measurement for this peer, if any
     */
    static Measurement measure(Prober prober, int floor, int ceiling, OptionalInt previous, int maxProbes)
            throws IOException, InterruptedException {
        return new PathMtuSearch(prober, maxProbes).run(floor, ceiling, previous);
    }

    private Measurement run(int floor, int ceiling, OptionalInt previous) throws IOException, InterruptedException {
        int lo = floor;            // answered
        int hi = ceiling + 1;      // not answered (exclusive bound)
        if (previous.isPresent() && previous.getAsInt() > floor && previous.getAsInt() <= ceiling) {
            int p = previous.getAsInt();
            if (answered(p)) {
                lo = p;
                if (p == ceiling || !answered(p + 1)) {
                    return done(lo, p == ceiling ? ceiling + 1 : p + 1);
                }
                lo = p + 1;
            } else {
                hi = p;
            }
        }
        if (hi == ceiling + 1 && lo < ceiling) {
            if (answered(ceiling)) {
                return done(ceiling, ceiling + 1);
            }
            hi = ceiling;
        }
        while (hi - lo > 1 && probes < maxProbes) {
            int mid = (lo + hi) >>> 1;
            if (lastReported.isPresent() && lastReported.get() > lo && lastReported.get() < hi) {
                mid = lastReported.get(); // a router said so: try exactly that
            } else if (lastReported.isPresent() && lastReported.get() == lo) {
                mid = lo + 1; // the reported MTU passed: one byte more confirms it is the limit
            }
            if (answered(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return done(lo, hi);
    }

    private boolean answered(int size) throws IOException, InterruptedException {
        probes++;
        Answer a = prober.probe(size);
        if (a.reportedMtu().isPresent()) {
            icmpSeen = true;
            lastReported = a.reportedMtu();
        }
        return a.replied();
    }

    private Measurement done(int lo, int hi) {
        return new Measurement(lo, hi - lo == 1, icmpSeen, probes);
    }
}
