package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A bundle issued "in the future" by this node's clock is refused, and the message says it is about the clock. */
class NotYetValidTest {

    static final Instant NOW = TestPki.NOW;

    @Test
    void aCertValidFourMinutesFromNowIsRefusedWithTheGapToTheLocalClock() {
        TestPki pki = new TestPki();
        Instant nb = NOW.plus(Duration.ofSeconds(260));
        ValidationReport r = BundleValidator.validate(pki.bundle(pki.leaf("kube-proxy", "node1", nb,
                NOW.plus(Duration.ofDays(365)))), "node1", NOW);
        assertFalse(r.ok());
        assertEquals(NotYetValid.explain("kube-proxy", nb, NOW), r.failures().getFirst().message());
        assertEquals("kube-proxy is not valid yet: notBefore " + nb + " is 4m20s after the local clock (" + NOW
                + "); if the bundle was just issued, this node's clock is behind — check NTP (timedatectl,"
                + " chronyc tracking) and the clock-skew reconciler", r.failures().getFirst().message());
    }

    @Test
    void largeGapsAreShownInDays() {
        assertEquals(true, NotYetValid.explain("ca", NOW.plus(Duration.ofHours(50)), NOW).contains(" is 2d2h after "));
    }
}
