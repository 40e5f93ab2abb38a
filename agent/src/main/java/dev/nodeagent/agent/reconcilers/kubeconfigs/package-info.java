/** The {@code kubeconfigs} reconciler: kubeconfigs built with fabric8's model, pointing at the cert bundle's stable paths. */
package dev.nodeagent.agent.reconcilers.kubeconfigs;
