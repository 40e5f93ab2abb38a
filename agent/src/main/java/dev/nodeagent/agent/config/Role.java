package dev.nodeagent.agent.config;

/** What a node is in the cluster; decides which reconcilers run by default. Written {@code worker} / {@code control-plane}. */
public enum Role {
    WORKER,
    CONTROL_PLANE;

    public String wire() {
        return ConfigNode.wire(this);
    }
}
