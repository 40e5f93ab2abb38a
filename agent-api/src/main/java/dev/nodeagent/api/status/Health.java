package dev.nodeagent.api.status;

/**
 * Overall health. STARTING until every reconciler has finished one pass; then READY when none is failed, else
 * DEGRADED. A waiting reconciler (a precondition is absent) does not degrade the agent.
 */
public enum Health {
    STARTING,
    READY,
    DEGRADED
}
