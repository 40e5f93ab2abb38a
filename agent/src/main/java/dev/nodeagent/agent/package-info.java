/** The node-agent daemon: wiring ({@code Main}, {@code Agent}, {@code Reconcilers}) and its building blocks. */
package dev.nodeagent.agent;
