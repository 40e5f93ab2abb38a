package dev.nodeagent.agent.reconcile;

import java.util.List;

/**
 * One concern kept in its declared state. {@link #reconcile} is one idempotent pass: compute the desired state,
 * compare with what is there, change only what differs, and say whether it changed anything. It never sleeps or
 * retries itself; the {@link Scheduler} calls it again. Exceptions become {@code failed} outcomes.
 */
public interface Reconciler {

    /** Stable kebab-case id used in status, metric tags and {@code agentctl resync NAME}. */
    String name();

    /**
     * Names of the reconcilers whose output this one reads (cert-bundle's certs, say). {@code node-agent check}
     * runs those passes first; the daemon does not wait for them (a pass that finds its inputs missing reports
     * {@code waiting} and the next pass picks them up).
     */
    default List<String> dependsOn() {
        return List.of();
    }

    Outcome reconcile(ReconcileContext context) throws Exception;
}
