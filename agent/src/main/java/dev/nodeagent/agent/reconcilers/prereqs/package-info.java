/** {@code node-prereqs}: the kernel and host prerequisites of a Kubernetes node (sysctls, swap, runtime socket, name, clock). */
package dev.nodeagent.agent.reconcilers.prereqs;
