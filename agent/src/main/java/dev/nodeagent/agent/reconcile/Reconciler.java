package dev.nodeagent.agent.reconcile;

/**
 * One concern kept in its declared state. {@link #reconcile} is one idempotent pass: compute the desired state,
 * compare with what is there, change only what differs, and say whether it changed anything. It never sleeps or
 * retries itself; the {@link Scheduler} calls it again. Exceptions become {@code failed} outcomes.
 */
public interface Reconciler {

    /** Stable kebab-case id used in status, metric tags and {@code agentctl resync NAME}. */
    String name();

    Outcome reconcile(ReconcileContext context) throws Exception;
}
