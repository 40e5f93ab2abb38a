/** The control-socket wire format shared by the daemon and {@code agentctl}: newline-delimited JSON frames. */
package dev.nodeagent.api.control;
