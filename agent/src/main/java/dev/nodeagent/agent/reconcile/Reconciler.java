package dev.nodeagent.agent.reconcile;

import java.util.List;

/**
 * One concern kept in its declared state. {@link #reconcile} is one idempotent pass: compute the desired state,
 * compare with what is there, change only what differs, and say whether it changed anything. It never sleeps or
 * retries itself; the engine calls it again, after its interval or when something it {@linkplain #watches watches}
 * changes. Exceptions become {@code failed} outcomes.
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

    /**
     * What, when it changes, should start a pass now rather than at the next interval: the files this reconciler
     * reads or keeps, the network. Called once when the daemon starts. Events are debounced and coalesced, and a
     * reconciler never runs twice at once; its own writes may start one more pass, which then finds nothing to do.
     */
    default List<Watch> watches() {
        return List.of();
    }

    Outcome reconcile(ReconcileContext context) throws Exception;
}
