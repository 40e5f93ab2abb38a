/** The one place that holds what every reconciler last did, with Kubernetes condition semantics. */
package dev.nodeagent.agent.status;
