package dev.nodeagent.agent.host;

import java.nio.file.Path;

/**
 * Resolves every absolute host path the agent reads or writes under a root: {@code /} in production, a sandbox
 * directory for the demo and tests, so the whole agent can run unprivileged. Kernel interfaces ({@code /proc},
 * {@code /sys}, netlink) are not resolved here: they are always the real ones.
 */
public record HostPaths(Path root) {

    /** The agent's state directory (systemd {@code StateDirectory=node-agent}): what must survive a restart. */
    public static final String STATE_DIR = "/var/lib/node-agent";

    public HostPaths {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code /etc/cni/net.d} → {@code <root>/etc/cni/net.d}. */
    public Path resolve(String absolutePath) {
        if (!absolutePath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolutePath);
        }
        Path p = root.resolve(absolutePath.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path escapes the host root: " + absolutePath);
        }
        return p;
    }

    /** {@code hooks/kubeconfigs.json} → {@code <root>/var/lib/node-agent/hooks/kubeconfigs.json}. */
    public Path state(String relative) {
        return resolve(STATE_DIR + "/" + relative);
    }

    public boolean isRealRoot() {
        return root.equals(Path.of("/"));
    }
}
