package dev.nodeagent.agent.spec;

import dev.nodeagent.agent.reconcile.Reconciler;

import dev.nodeagent.agent.config.ConfigSection;

/**
 * Everything the agent needs to know about one kind of reconciler: its config section and how to build it from
 * its settings. Each reconciler class exposes one as {@code SPEC}; {@code Reconcilers} lists them.
 */
public record ReconcilerSpec<S>(String name, ConfigSection<S> config, Factory<S> factory) {

    @FunctionalInterface
    public interface Factory<S> {
        Reconciler create(S settings, AgentServices services);
    }
}
