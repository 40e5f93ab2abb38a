/** {@code cni-ipam-link}: keeps {@code calico-ipam} next to {@code calico} in the CNI bin dir. */
package dev.nodeagent.agent.reconcilers.cniipam;
