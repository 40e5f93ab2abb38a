/** Metric names and tags, in one place: everything the agent exports under {@code node_agent_}. */
package dev.nodeagent.agent.metrics;
