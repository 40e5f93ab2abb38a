package dev.nodeagent.api.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole agent as {@code /status} and {@code agentctl status} show it. */
public record AgentStatus(
        String node,
        String role,
        String version,
        Instant startedAt,
        Health health,
        List<ReconcilerStatus> reconcilers) {

    public AgentStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(health, "health");
        reconcilers = reconcilers == null ? List.of() : List.copyOf(reconcilers);
    }

    public Optional<ReconcilerStatus> reconciler(String name) {
        return reconcilers.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
