package dev.nodeagent.agent.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects problems for one config file, and which keys of which mappings were read (the rest are unknown). */
final class ConfigReport {

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<ConfigNode, Set<String>> consumed = new IdentityHashMap<>();

    ConfigReport(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void problem(Node at, String path, String message) {
        int line = at == null ? 0 : at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        problems.add(new ConfigProblem(file, line, path, message));
    }

    void problem(int line, String path, String message) {
        problems.add(new ConfigProblem(file, line, path, message));
    }

    void track(ConfigNode node) {
        consumed.putIfAbsent(node, new HashSet<>());
    }

    void consumed(ConfigNode node, String key) {
        consumed.computeIfAbsent(node, n -> new HashSet<>()).add(key);
    }

    /** Reports every key that no parser asked for, with its line. Call once, after parsing. */
    void unknownKeys() {
        for (Map.Entry<ConfigNode, Set<String>> e : consumed.entrySet()) {
            ConfigNode node = e.getKey();
            node.entries().forEach((key, tuple) -> {
                if (!e.getValue().contains(key)) {
                    String path = node.path().isEmpty() ? key : node.path() + "." + key;
                    problem(tuple.getKeyNode(), path, "unknown key");
                }
            });
        }
    }

    List<ConfigProblem> problems() {
        return problems.stream()
                .sorted((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : a.path().compareTo(b.path()))
                .toList();
    }
}
