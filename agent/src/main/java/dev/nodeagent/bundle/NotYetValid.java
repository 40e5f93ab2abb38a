package dev.nodeagent.bundle;

import java.time.Duration;
import java.time.Instant;

/**
 * Why a certificate is refused as "not valid yet": with the gap to the local clock, because a fresh bundle that is
 * not yet valid nearly always means this node's clock is behind (or the issuer's ahead), not a bad bundle. The
 * validator refuses it either way, so the previous generation stays live until the clock and the bundle agree.
 */
public final class NotYetValid {

    private NotYetValid() {
    }

    /** e.g. "kubelet is not valid yet: notBefore 2026-12-03T18:40:00Z is 4m20s after the local clock (…); …". */
    public static String explain(String name, Instant notBefore, Instant now) {
        Duration gap = Duration.between(now, notBefore);
        long s = gap.toSeconds();
        String amount = s >= 86400 ? s / 86400 + "d" + (s % 86400) / 3600 + "h"
                : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
        return name + " is not valid yet: notBefore " + notBefore + " is " + amount + " after the local clock (" + now
                + "); if the bundle was just issued, this node's clock is behind — check NTP (timedatectl,"
                + " chronyc tracking) and the clock-skew reconciler";
    }
}
