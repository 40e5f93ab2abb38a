package dev.nodeagent.agent.reconcilers.cniconfig;

import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.MtuBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.nodeagent.api.json.PlainJson;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Validates a CNI network configuration list the way the kubelet's CNI calls will need it: well-formed JSON (no
 * duplicate keys, nothing after the document), a supported {@code cniVersion}, a {@code name}, every plugin
 * {@code type} and {@code ipam.type} a binary in the CNI bin dir, every {@code kubernetes.kubeconfig} an existing
 * file, and every {@code mtu} within the MTU budget ({@link MtuBudget}) of the tailnet link. Pure apart from
 * looking at files; every problem names the file and the field. Read with {@link PlainJson} (jackson-core only):
 * objects are maps, a JSON {@code null} is a key mapped to {@code null}.
 */
public final class ConflistValidator {

    /** The CNI spec versions a conflist may declare (libcni accepts these). */
    public static final List<String> SUPPORTED_CNI_VERSIONS = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    /**
     * What the conflist is checked against: the CNI bin dir (as configured and resolved), how host paths resolve,
     * and the encapsulation and link that bound the MTU.
     */
    public record Environment(String binDir, Path resolvedBinDir, Function<String, Path> hostPath,
                              Encapsulation encapsulation, String linkName, int linkMtu) {
    }

    private ConflistValidator() {
    }

    public static List<ConflistProblem> validate(String file, byte[] content, Environment env) {
        List<ConflistProblem> problems = new ArrayList<>();
        Object parsed;
        try {
            parsed = PlainJson.parseStrict(content);
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            problems.add(new ConflistProblem(file, "$", "not well-formed JSON" + where + ": " + firstLine(e.getOriginalMessage())));
            return problems;
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            problems.add(new ConflistProblem(file, "$", "must be a JSON object"));
            return problems;
        }
        Optional<String> version = string(file, root, "cniVersion", "cniVersion", problems);
        if (version.isPresent() && !SUPPORTED_CNI_VERSIONS.contains(version.get())) {
            problems.add(new ConflistProblem(file, "cniVersion", "'" + version.get() + "' is not a supported CNI version; use one of "
                    + String.join(", ", SUPPORTED_CNI_VERSIONS)));
        }
        string(file, root, "name", "name", problems);
        if (!file.endsWith(".conflist") && !root.containsKey("plugins")) {
            // A .conf (what NixOS' kubelet module writes): one plugin object with cniVersion and name beside type.
            plugin(file, "", root, env, problems);
            return problems;
        }
        Object rawPlugins = root.get("plugins");
        if (!(rawPlugins instanceof List<?> plugins) || plugins.isEmpty()) {
            problems.add(new ConflistProblem(file, "plugins", !root.containsKey("plugins")
                    ? "missing: a .conflist lists its plugins" : "must be a non-empty list of plugin objects"));
            return problems;
        }
        for (int i = 0; i < plugins.size(); i++) {
            plugin(file, "plugins[" + i + "]", plugins.get(i), env, problems);
        }
        return problems;
    }

    private static void plugin(String file, String at, Object plugin, Environment env, List<ConflistProblem> problems) {
        if (!(plugin instanceof Map<?, ?> p)) {
            problems.add(new ConflistProblem(file, at, "must be a plugin object"));
            return;
        }
        string(file, p, "type", at(at, "type"), problems).ifPresent(t -> binary(file, at(at, "type"), t, env, problems));
        if (p.get("ipam") instanceof Map<?, ?> ipam && ipam.containsKey("type")) {
            string(file, ipam, "type", at(at, "ipam.type"), problems).ifPresent(t -> binary(file, at(at, "ipam.type"), t, env, problems));
        }
        if (p.get("kubernetes") instanceof Map<?, ?> kube && kube.containsKey("kubeconfig")) {
            string(file, kube, "kubeconfig", at(at, "kubernetes.kubeconfig"), problems).ifPresent(k -> {
                if (!k.startsWith("/")) {
                    problems.add(new ConflistProblem(file, at(at, "kubernetes.kubeconfig"), "'" + k + "' must be an absolute path"));
                } else if (!Files.isRegularFile(env.hostPath().apply(k))) {
                    problems.add(new ConflistProblem(file, at(at, "kubernetes.kubeconfig"), k + " does not exist"));
                }
            });
        }
        if (p.containsKey("mtu")) {
            Object mtu = p.get("mtu");
            if (!(mtu instanceof Integer value) || value < 68 || value > 65535) {
                problems.add(new ConflistProblem(file, at(at, "mtu"), "must be a whole number between 68 and 65535, not "
                        + PlainJson.quote(mtu)));
            } else {
                MtuBudget.problem(value, env.encapsulation(), env.linkName(), env.linkMtu())
                        .ifPresent(m -> problems.add(new ConflistProblem(file, at(at, "mtu"), m)));
            }
        }
    }

    private static void binary(String file, String field, String type, Environment env, List<ConflistProblem> problems) {
        if (type.isEmpty() || type.contains("/") || type.equals(".") || type.equals("..")) {
            problems.add(new ConflistProblem(file, field, "'" + type + "' must be a plugin name (a file in " + env.binDir() + ")"));
            return;
        }
        Path bin = env.resolvedBinDir().resolve(type);
        String shown = env.binDir() + "/" + type;
        if (!Files.exists(bin)) { // follows links: a dangling calico-ipam link counts as missing
            problems.add(new ConflistProblem(file, field, "plugin '" + type + "' has no binary: " + shown + " does not exist"));
        } else if (!Files.isRegularFile(bin) || !Files.isExecutable(bin)) {
            problems.add(new ConflistProblem(file, field, "plugin '" + type + "': " + shown + " is not an executable file"));
        }
    }

    private static Optional<String> string(String file, Map<?, ?> obj, String key, String field, List<ConflistProblem> problems) {
        if (!obj.containsKey(key)) {
            problems.add(new ConflistProblem(file, field, "missing"));
            return Optional.empty();
        }
        Object v = obj.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            problems.add(new ConflistProblem(file, field, "must be a non-empty string, not " + PlainJson.quote(v)));
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** The JSON field path of a plugin's field: {@code plugins[0].mtu} in a .conflist, {@code mtu} in a .conf. */
    private static String at(String plugin, String field) {
        return plugin.isEmpty() ? field : plugin + "." + field;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

}
