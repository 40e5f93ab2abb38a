/** The reconcile framework: one idempotent pass per {@link dev.nodeagent.agent.reconcile.Reconciler}, run, timed and retried here. */
package dev.nodeagent.agent.reconcile;
