/** The {@code cert-bundle} reconciler: decrypt, validate and atomically publish this host's TLS bundle, then run hooks. */
package dev.nodeagent.agent.reconcilers.certbundle;
