package dev.nodeagent.agent.config;

import dev.nodeagent.agent.config.AgentConfig.HttpConfig;
import dev.nodeagent.agent.config.AgentConfig.LogConfig;
import dev.nodeagent.agent.config.AgentConfig.LogFormat;
import dev.nodeagent.agent.config.AgentConfig.NodeConfig;
import dev.nodeagent.agent.config.AgentConfig.ReconcilerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads agent.yaml into an {@link AgentConfig}. Every problem is collected (syntax, unknown keys, wrong types, bad
 * durations, relative paths) and thrown together as one {@link ConfigException}; nothing is half-loaded.
 */
public final class ConfigLoader {

    public static final String DEFAULT_PATH = "/etc/node-agent/agent.yaml";
    public static final String DEFAULT_LISTEN = "127.0.0.1:9478";
    public static final String DEFAULT_CONTROL_SOCKET = "/run/node-agent/control.sock";

    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]+):(\\d{1,5})");
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    private final List<ConfigSection<?>> sections;
    private final String defaultNodeName;

    /**
     * @param sections        the reconcilers' config sections
     * @param defaultNodeName used when {@code node.name} is absent (the kernel host name in production)
     */
    public ConfigLoader(List<ConfigSection<?>> sections, String defaultNodeName) {
        this.sections = List.copyOf(sections);
        this.defaultNodeName = defaultNodeName;
    }

    public AgentConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "", "no such file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "", "cannot read: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    public AgentConfig parse(String text, String label) throws ConfigException {
        ConfigReport report = new ConfigReport(label);
        Node root = compose(text, label, report);
        if (root == null && report.problems().isEmpty()) {
            report.problem(0, "", "the file is empty; at least `node.role` is expected");
        }
        if (!report.problems().isEmpty()) {
            throw new ConfigException(report.problems());
        }
        ConfigNode top = new ConfigNode(report, "", root);

        ConfigNode nodeSection = top.child("node");
        String name = nodeSection.string("name", defaultNodeName);
        if (!NODE_NAME.matcher(name).matches() || name.length() > 253) {
            nodeSection.problem("name", "must be a lower-case DNS name (RFC 1123), not '" + name + "'");
        }
        Role role = nodeSection.enumValue("role", Role.class, Role.WORKER);
        NodeConfig node = new NodeConfig(name, role);

        String hostRootText = top.absolutePath("hostRoot", "/");
        Path hostRoot = Path.of(hostRootText);
        if (top.has("hostRoot") && !Files.isDirectory(hostRoot)) {
            top.problem("hostRoot", "directory " + hostRootText + " does not exist");
        }

        HttpConfig http = parseListen(top.child("http"));
        String controlSocket = top.absolutePath("controlSocket", DEFAULT_CONTROL_SOCKET);
        String controlSocketGroup = top.string("controlSocketGroup", "");
        if (!controlSocketGroup.isEmpty() && !controlSocketGroup.matches("[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+")) {
            top.problem("controlSocketGroup", "must be a group name or number, not '" + controlSocketGroup + "'");
        }

        ConfigNode logSection = top.child("log");
        String level = logSection.string("level", "info").toLowerCase();
        if (!LEVELS.contains(level)) {
            logSection.problem("level", "must be one of trace, debug, info, warn, error");
            level = "info";
        }
        LogFormat format = logSection.enumValue("format", LogFormat.class, LogFormat.AUTO);

        Map<String, ReconcilerConfig<?>> reconcilers = parseReconcilers(top.child("reconcilers"), node);

        report.unknownKeys();
        if (!report.problems().isEmpty()) {
            throw new ConfigException(report.problems());
        }
        return new AgentConfig(label, node, hostRoot, http, controlSocket, new LogConfig(level, format), reconcilers,
                controlSocketGroup);
    }

    private Map<String, ReconcilerConfig<?>> parseReconcilers(ConfigNode section, NodeConfig node) {
        Map<String, ConfigSection<?>> byKey = new LinkedHashMap<>();
        sections.forEach(s -> byKey.put(s.key(), s));
        for (String key : section.keys()) {
            if (!byKey.containsKey(key)) {
                section.problem(key, "unknown reconciler; known: " + String.join(", ", byKey.keySet()));
            }
        }
        Map<String, ReconcilerConfig<?>> out = new LinkedHashMap<>();
        for (ConfigSection<?> s : sections) {
            out.put(s.key(), parseOne(s, section.child(s.key()), node));
        }
        return out;
    }

    private static <S> ReconcilerConfig<S> parseOne(ConfigSection<S> s, ConfigNode n, NodeConfig node) {
        boolean enabled = n.bool("enabled", s.enabledByDefault().test(node.role()));
        var interval = n.duration("interval", s.defaultInterval());
        var timeout = n.duration("timeout", s.defaultTimeout());
        S settings = s.parser().parse(n, node);
        return new ReconcilerConfig<>(enabled, interval, timeout, settings);
    }

    private static HttpConfig parseListen(ConfigNode http) {
        String listen = http.string("listen", DEFAULT_LISTEN);
        var m = LISTEN.matcher(listen);
        if (m.matches()) {
            int port = Integer.parseInt(m.group(2));
            if (port <= 65535) {
                String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
                return new HttpConfig(host, port);
            }
        }
        http.problem("listen", "must be HOST:PORT (e.g. 127.0.0.1:9478 or [::1]:9478), not '" + listen + "'");
        return new HttpConfig("127.0.0.1", 9478);
    }

    private static Node compose(String text, String label, ConfigReport report) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(10).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            Optional<Node> node = composer.getSingleNode();
            return node.orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mk -> mk.getLine() + 1).orElse(0);
            report.problem(line, "", "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            report.problem(0, "", "not valid YAML: " + firstLine(e.getMessage()));
        }
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** All problems as the lines {@code check-config} prints. */
    public static String describe(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
