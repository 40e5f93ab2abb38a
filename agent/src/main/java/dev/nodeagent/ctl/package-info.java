/** {@code agentctl}: the operator's client. Offline commands (age, bundles) and daemon commands over the control socket. Never imports {@code dev.nodeagent.agent}. */
package dev.nodeagent.ctl;
