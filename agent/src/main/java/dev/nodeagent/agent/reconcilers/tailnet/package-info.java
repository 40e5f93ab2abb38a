/** {@code tailnet}: the tailnet interface, the routes the kernel really takes (policy routing included), and the MTU budget. */
package dev.nodeagent.agent.reconcilers.tailnet;
