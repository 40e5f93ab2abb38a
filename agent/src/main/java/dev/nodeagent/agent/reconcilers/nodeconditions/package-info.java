/** The {@code node-conditions} reconciler: the agent's findings as Node conditions, patched onto the Node's status. */
package dev.nodeagent.agent.reconcilers.nodeconditions;
