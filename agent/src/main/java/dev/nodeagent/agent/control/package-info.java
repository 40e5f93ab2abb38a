/** The control socket: a Unix stream socket {@code agentctl} talks to, with peer-credential checks on every connection. */
package dev.nodeagent.agent.control;
