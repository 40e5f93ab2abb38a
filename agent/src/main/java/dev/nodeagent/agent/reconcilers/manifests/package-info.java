/** The {@code bootstrap-manifests} reconciler: control-plane manifests kept applied with server-side apply. */
package dev.nodeagent.agent.reconcilers.manifests;
