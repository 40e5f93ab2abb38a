/** The {@code cni-config} reconciler: the Calico conflist, rendered and kept, or only validated ({@code mode: check}). */
package dev.nodeagent.agent.reconcilers.cniconfig;
