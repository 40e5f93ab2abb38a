package dev.nodeagent.agent.host;

import java.nio.file.Path;

/**
 * Resolves every absolute host path the agent reads or writes under a root: {@code /} in production, a sandbox
 * directory for the demo and tests, so the whole agent can run unprivileged. Kernel interfaces ({@code /proc},
 * {@code /sys}, netlink) are not resolved here: they are always the real ones.
 */
public record HostPaths(Path root) {

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

    public boolean isRealRoot() {
        return root.equals(Path.of("/"));
    }
}
