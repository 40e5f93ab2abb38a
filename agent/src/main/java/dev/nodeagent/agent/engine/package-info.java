/** The reconcile engine: runs, times, retries and triggers (interval, watches, resync) every reconciler's passes. */
package dev.nodeagent.agent.engine;
