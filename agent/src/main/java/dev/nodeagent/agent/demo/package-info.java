/** {@code node-agent demo}: a sandbox host root that lets a newcomer watch the agent work without a cluster. */
package dev.nodeagent.agent.demo;
