package dev.nodeagent.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A typed view of one YAML mapping (or of a missing one) that reports every problem with file, line and key path
 * instead of throwing, and returns the default so parsing goes on and finds the next problem. Keys that nobody
 * asked for are reported as unknown by {@link ConfigReport#unknownKeys()} once parsing is done.
 */
public final class ConfigNode {

    private final ConfigReport report;
    private final String path;
    private final Node node; // null when absent
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    ConfigNode(ConfigReport report, String path, Node node) {
        this.report = report;
        this.path = path;
        this.node = node;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    NodeTuple first = entries.putIfAbsent(k.getValue(), t);
                    if (first != null) {
                        int line = first.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                        report.problem(k, childPath(k.getValue()), "duplicate key (first at line " + line + ")");
                    }
                } else {
                    report.problem(t.getKeyNode(), path, "keys must be plain strings");
                }
            }
            report.track(this);
        } else if (node != null && !isNull(node)) {
            report.problem(node, path, "must be a mapping (key: value lines)");
        }
    }

    /** An empty mapping: every getter returns its default. Used for sections that are absent. */
    public static ConfigNode empty(String path) {
        return new ConfigNode(new ConfigReport("<defaults>"), path, null);
    }

    public String path() {
        return path;
    }

    public boolean isPresent() {
        return node != null && !isNull(node);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The file this node came from, for messages that point back at it. */
    public String file() {
        return report.file();
    }

    /** Reports a problem at this mapping (or at {@code key} inside it, when present). */
    public void problem(String key, String message) {
        NodeTuple t = key == null ? null : entries.get(key);
        report.problem(t != null ? t.getValueNode() : node, key == null ? path : childPath(key), message);
    }

    public ConfigNode child(String key) {
        return new ConfigNode(report, childPath(key), value(key).orElse(null));
    }

    public String string(String key, String def) {
        return scalar(key).orElse(def);
    }

    public Optional<String> optionalString(String key) {
        return scalar(key);
    }

    public boolean bool(String key, boolean def) {
        return typed(key, def, "must be true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        });
    }

    public int integer(String key, int def, int min, int max) {
        Integer v = typed(key, def, "must be a whole number", s -> {
            try {
                return Integer.valueOf(s);
            } catch (NumberFormatException e) {
                return null;
            }
        });
        if (v < min || v > max) {
            problem(key, "must be between " + min + " and " + max + ", not " + v);
            return def;
        }
        return v;
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 1h30m}; must be positive. */
    public Duration duration(String key, Duration def) {
        Duration d = typed(key, def, "must be a duration like 500ms, 30s, 5m or 1h", s -> Durations.parse(s).orElse(null));
        if (d.isNegative() || d.isZero()) {
            problem(key, "must be longer than zero");
            return def;
        }
        return d;
    }

    /** An absolute path ({@code /…}); relative paths are rejected because everything is resolved under the host root. */
    public String absolutePath(String key, String def) {
        Optional<String> s = scalar(key);
        if (s.isEmpty()) {
            return def;
        }
        if (!s.get().startsWith("/")) {
            problem(key, "must be an absolute path");
            return def;
        }
        return s.get();
    }

    /** An octal file mode ({@code 0600}, {@code 600}, {@code 0o600}); YAML's 0600 reaches us as the text "0600". */
    public int octalMode(String key, int def) {
        return typed(key, def, "must be an octal file mode like 0600", s -> s.matches("0?[oO]?[0-7]{3,4}")
                ? Integer.valueOf(s.replaceFirst("^0?[oO]?", ""), 8) : null);
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(ConfigNode::wire).toList();
        return typed(key, def, "must be one of " + String.join(", ", allowed), s -> {
            for (E e : type.getEnumConstants()) {
                if (wire(e).equals(s)) {
                    return e;
                }
            }
            return null;
        });
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");

    /**
     * A list of host names or IP addresses (no scheme, port or path), e.g. the peers a network check pings; the
     * first bad entry is reported and the list is then empty.
     */
    public List<String> hostList(String key) {
        List<String> list = stringList(key, List.of());
        for (String h : list) {
            if (!HOST.matcher(h).matches()) {
                problem(key, "'" + h + "' is not a host name or IP address (no scheme, port or path)");
                return List.of();
            }
        }
        return list;
    }

    /** A list of strings; a single scalar is accepted as a one-element list. */
    public List<String> stringList(String key, List<String> def) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) {
            return def;
        }
        if (v.get() instanceof ScalarNode s) {
            return List.of(s.getValue());
        }
        if (!(v.get() instanceof SequenceNode seq)) {
            problem(key, "must be a list of strings");
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            if (item instanceof ScalarNode s) {
                out.add(s.getValue());
            } else {
                report.problem(item, childPath(key) + "[" + i + "]", "must be a string");
            }
        }
        return List.copyOf(out);
    }

    /** A list of mappings, each as a node with path {@code key[i]}. */
    public List<ConfigNode> list(String key) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!(v.get() instanceof SequenceNode seq)) {
            problem(key, "must be a list");
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add(new ConfigNode(report, childPath(key) + "[" + i + "]", seq.getValue().get(i)));
        }
        return out;
    }

    /** The keys present in this mapping, in file order; each is marked as known (the caller validates them). */
    public List<String> keys() {
        entries.keySet().forEach(k -> report.consumed(this, k));
        return List.copyOf(entries.keySet());
    }

    Map<String, NodeTuple> entries() {
        return entries;
    }

    private <T> T typed(String key, T def, String expectation, Function<String, T> parse) {
        Optional<String> s = scalar(key);
        if (s.isEmpty()) {
            return def;
        }
        T v = parse.apply(s.get().trim());
        if (v == null) {
            problem(key, expectation + ", not '" + s.get() + "'");
            return def;
        }
        return v;
    }

    private Optional<String> scalar(String key) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof ScalarNode s) {
            return Optional.of(s.getValue());
        }
        problem(key, "must be a single value, not a list or mapping");
        return Optional.empty();
    }

    private Optional<Node> value(String key) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            return Optional.empty();
        }
        report.consumed(this, key);
        Node v = t.getValueNode();
        return isNull(v) ? Optional.empty() : Optional.of(v);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && n.getTag().getValue().endsWith(":null");
    }

    /** Enum constants are written in config as lower-case with dashes: CONTROL_PLANE → control-plane. */
    static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
