package dev.nodeagent.agent.engine;

import java.util.Locale;

/**
 * What started a pass; the {@code trigger} tag of {@code node_agent_reconcile_trigger_total}. Passes are counted,
 * not events: a burst of file events coalesces into one {@link #WATCH} pass.
 */
public enum Trigger {
    /** The first pass after the daemon started. */
    START,
    /** The interval passed after an ok or waiting pass (the slow safety resync). */
    INTERVAL,
    /** The backoff passed after a failed pass. */
    RETRY,
    /** Something the reconciler watches changed (a file, the network). */
    WATCH,
    /** {@code agentctl resync} (or {@code POST /resync}). */
    RESYNC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
