package dev.nodeagent.agent.config;

/**
 * Reads one reconciler's own keys from its {@code reconcilers.<key>} mapping. Reports problems on the node
 * and returns defaults for bad values; never throws for bad input.
 */
@FunctionalInterface
public interface ReconcilerSettingsParser<S> {
    S parse(ConfigNode node, AgentConfig.NodeConfig nodeConfig);
}
