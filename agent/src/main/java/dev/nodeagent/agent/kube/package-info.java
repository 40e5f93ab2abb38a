/** The daemon's connection to the API server: a fabric8 client built lazily from a kubeconfig on the host. */
package dev.nodeagent.agent.kube;
