/** One package per concern the agent keeps right; each reconciler class exposes its {@code SPEC}. */
package dev.nodeagent.agent.reconcilers;
