/**
 * The reconcile contract every reconciler implements: {@link dev.nodeagent.agent.reconcile.Reconciler} (one
 * idempotent pass, what it depends on and watches), its {@link dev.nodeagent.agent.reconcile.Outcome} and context.
 * How passes are scheduled, retried and triggered lives in {@code dev.nodeagent.agent.engine}.
 */
package dev.nodeagent.agent.reconcile;
