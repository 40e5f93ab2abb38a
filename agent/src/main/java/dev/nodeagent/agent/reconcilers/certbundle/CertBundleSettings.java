package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.config.AgentConfig.NodeConfig;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.agent.host.Hook;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code reconcilers.certBundle}: where the bundle is, which host and CA to read, which identities decrypt it,
 * where the live set goes, with which owners and modes, and which hooks run after a switch.
 */
public record CertBundleSettings(
        String secretsDir,
        String host,
        String ca,
        List<String> identities,
        String target,
        Ownership defaults,
        Map<String, Ownership> certs,
        List<Hook> hooks) {

    public static final String DEFAULT_SECRETS_DIR = "/var/lib/node-agent/bundle";
    public static final String DEFAULT_TARGET = "/run/node-agent/certs";
    public static final List<String> DEFAULT_IDENTITIES = List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key");
    static final Duration DEFAULT_HOOK_TIMEOUT = Hook.DEFAULT_TIMEOUT;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public CertBundleSettings {
        identities = List.copyOf(identities);
        certs = Map.copyOf(certs);
        hooks = List.copyOf(hooks);
    }

    /** Owner, group and modes of one cert's files ({@code <cert>.key}, {@code <cert>.crt}); null owner/group = the agent's. */
    public record Ownership(String owner, String group, int keyMode, int certMode) {
        static final Ownership DEFAULT = new Ownership(null, null, 0400, 0444);

        public FileMode keyFileMode() {
            return new FileMode(keyMode, owner, group);
        }

        public FileMode certFileMode() {
            return new FileMode(certMode, owner, group);
        }
    }

    /** The ownership of one cert's files: its own entry under {@code certs}, else the defaults. */
    public Ownership ownershipOf(String cert) {
        return certs.getOrDefault(cert, defaults);
    }

    public static CertBundleSettings parse(ConfigNode n, NodeConfig node) {
        String secretsDir = n.absolutePath("secretsDir", DEFAULT_SECRETS_DIR);
        String host = n.string("host", node.name());
        if (!PLAIN_NAME.matcher(host).matches()) {
            n.problem("host", "must be a plain host name (letters, digits, '.', '-', '_')");
        }
        String ca = n.string("ca", "k8s");
        if (!PLAIN_NAME.matcher(ca).matches()) {
            n.problem("ca", "must be a plain name such as k8s");
        }
        List<String> identities = n.stringList("identities", DEFAULT_IDENTITIES);
        if (identities.isEmpty()) {
            n.problem("identities", "must name at least one identity file");
        }
        for (String id : identities) {
            if (!id.startsWith("/")) {
                n.problem("identities", "must be absolute paths, not '" + id + "'");
            }
        }
        String target = n.absolutePath("target", DEFAULT_TARGET);
        if (target.equals("/") || target.endsWith("/")) {
            n.problem("target", "must be a directory path without a trailing slash, e.g. " + DEFAULT_TARGET);
            target = DEFAULT_TARGET;
        }
        Ownership defaults = ownership(n.child("defaults"), Ownership.DEFAULT);
        Map<String, Ownership> certs = new LinkedHashMap<>();
        ConfigNode certsNode = n.child("certs");
        for (String name : certsNode.keys()) {
            if (!PLAIN_NAME.matcher(name).matches() || name.equals("ca")) {
                certsNode.problem(name, "must be a cert name such as kubelet (not 'ca', no slashes)");
                continue;
            }
            certs.put(name, ownership(certsNode.child(name), defaults));
        }
        return new CertBundleSettings(secretsDir, host, ca, identities, target, defaults, certs, hooks(n));
    }

    private static Ownership ownership(ConfigNode n, Ownership base) {
        String owner = n.optionalString("owner").orElse(base.owner());
        String group = n.optionalString("group").orElse(base.group());
        int keyMode = mode(n, "keyMode", base.keyMode());
        int certMode = mode(n, "certMode", base.certMode());
        if ((keyMode & 0077 & ~0040) != 0) {
            n.problem("keyMode", "a private key must not be readable by others or writable by the group: "
                    + String.format("%04o", keyMode));
        }
        return new Ownership(owner, group, keyMode, certMode);
    }

    private static int mode(ConfigNode n, String key, int def) {
        Optional<String> s = n.optionalString(key);
        if (s.isEmpty()) {
            return def;
        }
        String v = s.get().trim();
        if (!v.matches("0?[0-7]{3}")) {
            n.problem(key, "must be an octal mode like 0400, not '" + v + "'");
            return def;
        }
        return Integer.parseInt(v, 8);
    }

    private static List<Hook> hooks(ConfigNode n) {
        return n.list("hooks").stream().map(h -> {
            Duration timeout = h.duration("timeout", DEFAULT_HOOK_TIMEOUT);
            List<String> command = h.stringList("command", List.of());
            if (command.isEmpty()) {
                h.problem("command", "is required: a list [program, arg…] or one shell command line");
            }
            if (command.isEmpty()) {
                return null;
            }
            // One semantics for every hook: a string is a shell line; a list is quoted into one, so it still runs
            // exactly as that argv (host Hook.argv).
            return command.size() == 1 ? Hook.shell(command.getFirst(), timeout) : Hook.argv(command, timeout);
        }).filter(h -> h != null).toList();
    }
}
