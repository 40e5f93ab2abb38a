package dev.nodeagent.api.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one reconciler last did. Timestamps are null until they first happen; {@code lastTransitionAt} moves only
 * when {@code state} changes (Kubernetes condition semantics). {@code details} holds reconciler-specific,
 * JSON-friendly facts (e.g. each certificate's not-after) and never secret material.
 */
public record ReconcilerStatus(
        String name,
        State state,
        String reason,
        String message,
        Instant lastRunAt,
        Instant lastSuccessAt,
        Instant lastTransitionAt,
        int consecutiveFailures,
        double durationSeconds,
        List<Check> checks,
        Map<String, Object> details) {

    public ReconcilerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        checks = checks == null ? List.of() : List.copyOf(checks);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** The status of a reconciler that has not run yet. */
    public static ReconcilerStatus pending(String name) {
        return new ReconcilerStatus(name, State.PENDING, "NotRunYet", "has not run yet",
                null, null, null, 0, 0.0, List.of(), Map.of());
    }
}
