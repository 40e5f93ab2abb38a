/** {@code node-agent check}: every enabled reconciler's pass once, in the foreground, as a preflight report. */
package dev.nodeagent.agent.preflight;
