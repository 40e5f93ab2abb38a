package dev.nodeagent.agent.spec;

import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.status.StatusStore;
import java.time.InstantSource;

/**
 * The collaborators a reconciler may be built with. Handed to each {@code ReconcilerSpec} factory; reconcilers
 * keep only what they use. {@code status} is for reading other reconcilers' results (node conditions) only.
 */
public record AgentServices(
        AgentConfig config,
        HostPaths hostPaths,
        AtomicWriter writer,
        CommandRunner commands,
        InstantSource clock,
        AgentMetrics metrics,
        StatusStore status) {
}
