package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.config.AgentConfig.NodeConfig;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigDefaults.Default;
import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigsReconciler.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses {@code reconcilers.kubeconfigs}: the role's default kubeconfigs, overridden field by field by
 * {@code files} entries of the same {@code name}, plus any extra entries. Every problem names its key path.
 */
final class KubeconfigsSettingsParser {

    static final String DEFAULT_CERT_DIR = "/run/node-agent/certs";
    static final Duration DEFAULT_HOOK_TIMEOUT = Hook.DEFAULT_TIMEOUT;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private KubeconfigsSettingsParser() {
    }

    static Settings parse(ConfigNode n, NodeConfig node) {
        String cluster = n.string("clusterName", "kubernetes");
        if (cluster.isBlank()) {
            n.problem("clusterName", "must not be empty");
        }
        String server = n.optionalString("server").map(s -> validServer(n, "server", s)).orElse(null);
        String certDir = n.absolutePath("certDir", DEFAULT_CERT_DIR);
        String cniNetDir = n.absolutePath("cniNetDir", "/etc/cni/net.d");
        boolean embed = n.bool("embed", false);
        Duration hookTimeout = n.duration("hookTimeout", DEFAULT_HOOK_TIMEOUT);
        List<Hook> onChange = hooks(n, "onChange", hookTimeout);

        Map<String, KubeconfigFile> files = new LinkedHashMap<>();
        for (Default d : KubeconfigDefaults.forRole(node.role(), node.name(), cniNetDir)) {
            files.put(d.name(), new KubeconfigFile(d.name(), d.path(), d.user(), d.cert(), d.user() + "@" + cluster,
                    server, embed, FileMode.of(0600), List.of()));
        }
        Map<String, Boolean> seen = new HashMap<>();
        for (ConfigNode f : n.list("files")) {
            String name = f.string("name", "");
            if (name.isBlank()) {
                f.problem("name", "is required (e.g. kubelet, or a name of your own)");
                continue;
            }
            if (seen.put(name, true) != null) {
                f.problem("name", "'" + name + "' is listed twice");
                continue;
            }
            KubeconfigFile base = files.get(name);
            KubeconfigFile parsed = entry(f, name, base, cluster, server, embed, hookTimeout);
            if (!f.bool("enabled", true)) {
                files.remove(name);
            } else if (parsed != null) {
                files.put(name, parsed);
            }
        }
        Map<String, String> byPath = new HashMap<>();
        for (KubeconfigFile kf : files.values()) {
            String other = byPath.put(kf.path(), kf.name());
            if (other != null) {
                n.problem("files", "kubeconfigs '" + other + "' and '" + kf.name() + "' both write " + kf.path());
            }
        }
        return new Settings(cluster, server, certDir, List.copyOf(files.values()), onChange);
    }

    private static KubeconfigFile entry(ConfigNode f, String name, KubeconfigFile base, String cluster, String server,
                                        boolean embed, Duration hookTimeout) {
        String path = f.absolutePath("path", base == null ? null : base.path());
        String user = f.string("user", base == null ? null : base.user());
        String cert = f.string("cert", base == null ? null : base.cert());
        String what = "is required for '" + name + "' (not one of this role's default kubeconfigs)";
        if (path == null) {
            f.problem("path", what);
        }
        if (user == null || user.isBlank()) {
            f.problem("user", what);
        }
        if (cert == null) {
            f.problem("cert", what);
        } else if (!PLAIN_NAME.matcher(cert).matches()) {
            f.problem("cert", "must be a cert name from the bundle (e.g. kubelet for <certDir>/kubelet.crt), not '" + cert + "'");
        }
        String context = f.string("context", user + "@" + cluster);
        String ownServer = f.optionalString("server").map(s -> validServer(f, "server", s)).orElse(server);
        boolean ownEmbed = f.bool("embed", embed);
        int mode = f.octalMode("mode", 0600);
        Optional<String> owner = f.optionalString("owner");
        Optional<String> group = f.optionalString("group");
        List<Hook> onChange = hooks(f, "onChange", hookTimeout);
        KubeconfigFile.CertCopy copy = certCopy(f, ownEmbed);
        if (path == null || user == null || user.isBlank() || cert == null) {
            return null;
        }
        return new KubeconfigFile(name, path, user, cert, context, ownServer, ownEmbed,
                new FileMode(mode, owner.orElse(null), group.orElse(null)), onChange, copy);
    }

    /**
     * {@code copyCertsTo} (a host directory a pod mounts) and {@code mountedAt} (where the pod sees it; default the
     * same path): for a kube-proxy DaemonSet that cannot see the cert dir. Embedding already makes a file
     * self-contained, so the two do not combine.
     */
    private static KubeconfigFile.CertCopy certCopy(ConfigNode f, boolean embed) {
        String hostDir = f.absolutePath("copyCertsTo", null);
        String podDir = f.absolutePath("mountedAt", hostDir);
        if (hostDir == null) {
            if (f.optionalString("mountedAt").isPresent()) {
                f.problem("mountedAt", "only means something with copyCertsTo (the host directory the pod mounts)");
            }
            return null;
        }
        if (embed) {
            f.problem("copyCertsTo", "embed: true already puts the certs in the file; use one or the other");
            return null;
        }
        return podDir == null ? null : new KubeconfigFile.CertCopy(hostDir, podDir);
    }

    /** The API server URL: https with a host (the SAN check and TLS need one). */
    static String validServer(ConfigNode n, String key, String s) {
        try {
            URI uri = new URI(s);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                return s;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        n.problem(key, "must be an https URL with a host, e.g. https://100.64.0.1:6443, not '" + s + "'");
        return null;
    }

    /** {@code onChange}: shell command lines run after a change ({@code /bin/sh -c}, as cert-bundle's hooks). */
    static List<Hook> hooks(ConfigNode n, String key, Duration timeout) {
        List<Hook> out = new ArrayList<>();
        for (String line : n.stringList(key, List.of())) {
            if (line.isBlank()) {
                n.problem(key, "an empty command");
            } else {
                out.add(Hook.shell(line, timeout));
            }
        }
        return List.copyOf(out);
    }
}
