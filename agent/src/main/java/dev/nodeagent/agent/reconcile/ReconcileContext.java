package dev.nodeagent.agent.reconcile;

import java.time.Instant;

/**
 * What a pass knows about itself: when it started, whether an operator forced it ({@code agentctl resync}), and
 * how many passes in a row failed before it.
 */
public record ReconcileContext(Instant startedAt, boolean forced, int consecutiveFailures) {
}
