package dev.nodeagent.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The whole validated agent.yaml. Immutable; built only by {@link ConfigLoader}. {@code reconcilers} maps each
 * reconciler's camelCase config key to its common settings and its own typed {@code Settings} record.
 */
public record AgentConfig(
        String source,
        NodeConfig node,
        Path hostRoot,
        HttpConfig http,
        String controlSocket,
        LogConfig log,
        Map<String, ReconcilerConfig<?>> reconcilers,
        String controlSocketGroup) {

    public AgentConfig {
        Objects.requireNonNull(node, "node");
        reconcilers = Map.copyOf(reconcilers);
        controlSocketGroup = controlSocketGroup == null ? "" : controlSocketGroup;
    }

    /** Without {@code controlSocketGroup} (root and the agent's user only). */
    public AgentConfig(String source, NodeConfig node, Path hostRoot, HttpConfig http, String controlSocket,
                       LogConfig log, Map<String, ReconcilerConfig<?>> reconcilers) {
        this(source, node, hostRoot, http, controlSocket, log, reconcilers, "");
    }

    /** {@code node.name} and {@code node.role}. */
    public record NodeConfig(String name, Role role) {
    }

    /** {@code http.listen}, split into host and port. */
    public record HttpConfig(String host, int port) {
        public String listen() {
            return host + ":" + port;
        }
    }

    /** {@code log.level} (an SLF4J level) and {@code log.format}. */
    public record LogConfig(String level, LogFormat format) {
    }

    /** auto: journal format when started by systemd ({@code JOURNAL_STREAM} set), text otherwise. */
    public enum LogFormat {
        AUTO,
        TEXT,
        JOURNAL
    }

    /** Settings every reconciler has, plus its own. */
    public record ReconcilerConfig<S>(boolean enabled, Duration interval, Duration timeout, S settings) {
    }

    /** The typed settings of reconciler {@code key}, or null if it has none. */
    public <S> S settings(String key, Class<S> type) {
        ReconcilerConfig<?> rc = reconcilers.get(key);
        return rc == null ? null : type.cast(rc.settings());
    }
}
