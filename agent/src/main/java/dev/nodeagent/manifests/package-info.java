/**
 * Bootstrap manifests: loading directories of multi-document YAML, ordering, comparing with the cluster and
 * server-side applying them. Shared by the {@code bootstrap-manifests} reconciler and {@code agentctl diff}; never
 * imports {@code dev.nodeagent.agent.*}.
 */
package dev.nodeagent.manifests;
