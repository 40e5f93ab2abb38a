/** {@code path-probe}: the real path MTU, RTT and loss to each control-plane endpoint and same-site peer (don't-fragment pings). */
package dev.nodeagent.agent.reconcilers.pathprobe;
