/** Logback set up in code: readable lines on a terminal, {@code <N>}-prefixed lines journald understands under systemd. */
package dev.nodeagent.agent.logging;
