/** {@code tailscale-status}: what tailscaled itself says — backend state, node key expiry, direct vs relayed paths to the control plane. */
package dev.nodeagent.agent.reconcilers.tailscalestatus;
