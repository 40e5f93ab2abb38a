package dev.nodeagent.api.control;

/** The daemon's side of {@code agentctl version}. */
public record DaemonVersion(String version, String java, int protocol, long pid, String node) {
}
