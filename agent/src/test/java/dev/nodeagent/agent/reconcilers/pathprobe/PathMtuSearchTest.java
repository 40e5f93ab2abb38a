package dev.nodeagent.agent.reconcilers.pathprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcilers.pathprobe.PathMtuSearch.Answer;
import dev.nodeagent.agent.reconcilers.pathprobe.PathMtuSearch.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The search against simulated paths: how many probes it takes and what it concludes. */
class PathMtuSearchTest {

    /** A path that carries {@code mtu}; above it routers report the MTU ({@code icmp}) or stay silent. */
    static final class FakePath implements PathMtuSearch.Prober {
        int mtu;
        final boolean icmp;
        final List<Integer> sizes = new ArrayList<>();

        FakePath(int mtu, boolean icmp) {
            this.mtu = mtu;
            this.icmp = icmp;
        }

        @Override
        public Answer probe(int size) {
            sizes.add(size);
            return size <= mtu ? new Answer(true, Optional.empty())
                    : new Answer(false, icmp ? Optional.of(mtu) : Optional.empty());
        }
    }

    static Measurement measure(FakePath p, OptionalInt previous) throws Exception {
        return PathMtuSearch.measure(p, 84, 1500, previous, 12);
    }

    @Test
    void aHealthyPathTakesOneProbeAtTheLinkMtu() throws Exception {
        FakePath p = new FakePath(1500, true);
        assertEquals(new Measurement(1500, true, false, 1), measure(p, OptionalInt.empty()));
        assertEquals(List.of(1500), p.sizes);
    }

    @Test
    void aReportedMtuIsTriedDirectly() throws Exception {
        FakePath p = new FakePath(1200, true);
        assertEquals(new Measurement(1200, true, true, 3), measure(p, OptionalInt.empty()));
        assertEquals(List.of(1500, 1200, 1201), p.sizes);
    }

    @Test
    void aBlackHoleIsFoundExactlyByBinarySearchWithinTheBound() throws Exception {
        for (int mtu : new int[] {85, 576, 1199, 1200, 1280, 1499}) {
            FakePath p = new FakePath(mtu, false);
            Measurement m = measure(p, OptionalInt.empty());
            assertEquals(mtu, m.mtu(), "mtu " + mtu);
            assertTrue(m.exact(), "exact for " + mtu);
            assertTrue(!m.icmpSeen() && m.probes() <= 12, m.toString());
        }
    }

    @Test
    void aKnownValueIsReverifiedWithTwoProbes() throws Exception {
        FakePath p = new FakePath(1200, false);
        assertEquals(new Measurement(1200, true, false, 2), measure(p, OptionalInt.of(1200)));
        assertEquals(List.of(1200, 1201), p.sizes);
    }

    @Test
    void aChangedPathIsSearchedAgain() throws Exception {
        FakePath shrunk = new FakePath(1000, false);
        assertEquals(1000, measure(shrunk, OptionalInt.of(1200)).mtu());
        FakePath grown = new FakePath(1500, false);
        Measurement m = measure(grown, OptionalInt.of(1200));
        assertEquals(new Measurement(1500, true, false, 3), m);
        assertEquals(List.of(1200, 1201, 1500), grown.sizes);
    }

    @Test
    void aSearchCutShortReportsTheLargestSizeKnownToPass() throws Exception {
        FakePath p = new FakePath(1234, false);
        Measurement m = PathMtuSearch.measure(p, 84, 1500, OptionalInt.empty(), 3);
        assertEquals(3, m.probes());
        assertTrue(!m.exact() && m.mtu() <= 1234 && p.sizes.stream().filter(s -> s <= 1234).allMatch(s -> s <= m.mtu()),
                m + " " + p.sizes);
    }
}
