/** What each kind of reconciler declares ({@code ReconcilerSpec}: config section, factory) and is built with ({@code AgentServices}). */
package dev.nodeagent.agent.spec;
