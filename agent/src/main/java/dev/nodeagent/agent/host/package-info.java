/** The I/O edge: host paths under a root, the one atomic file writer, and external commands with timeouts. */
package dev.nodeagent.agent.host;
