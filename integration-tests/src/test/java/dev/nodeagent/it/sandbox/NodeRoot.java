package dev.nodeagent.it.sandbox;

import dev.nodeagent.it.Dist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node's file system in production layout, under a directory that becomes {@code /} in the sandbox: its SSH
 * host key (ssh-keygen), the cluster's cert bundle at the default secretsDir, the CNI plugin binaries, the dirs the
 * kubelet and kube-proxy packages create, and {@code /etc/node-agent/agent.yaml}. The bundle is made once per
 * cluster by the real {@code agentctl bundle create}, for every host's real SSH public key.
 */
final class NodeRoot {

    /** Host keys and the bundle for hosts w1 (worker), cp1 (control plane) and n1 (worker, key under /root). */
    record Cluster(Path keys, Path bundle) {

        static Cluster create(Path dir) throws IOException, InterruptedException {
            Path keys = Files.createDirectories(dir.resolve("keys"));
            for (String k : List.of("op", "w1", "cp1", "n1")) {
                run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", keys.resolve(k).toString());
            }
            Files.writeString(dir.resolve("hosts.yaml"), """
                    ca: k8s
                    serviceCIDR: 10.96.0.0/12
                    hosts:
                      - name: w1
                        sshKeyFile: keys/w1.pub
                      - name: cp1
                        role: control-plane
                        sshKeyFile: keys/cp1.pub
                      - name: n1
                        sshKeyFile: keys/n1.pub
                    """);
            Path bundle = dir.resolve("secrets");
            run(dir, Dist.bin("agentctl").toString(), "bundle", "create", "--hosts", dir.resolve("hosts.yaml").toString(),
                    "--operator-key", keys.resolve("op.pub").toString(), "--out", bundle.toString());
            return new Cluster(keys, bundle);
        }
    }

    final Path root;

    NodeRoot(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    Path at(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** The host's SSH key {@code host} from the cluster at {@code path} (0600), its .pub next to it. */
    NodeRoot hostKey(Cluster c, String host, String path) throws IOException {
        Path key = at(path);
        Files.createDirectories(key.getParent());
        Files.copy(c.keys().resolve(host), key, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.copy(c.keys().resolve(host + ".pub"), key.resolveSibling(key.getFileName() + ".pub"),
                StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /** The whole bundle (every host's dir; the agent picks derived/<node.name>) at {@code secretsDir}. */
    NodeRoot bundle(Cluster c, String secretsDir) throws IOException {
        Path dest = at(secretsDir);
        try (Stream<Path> files = Files.walk(c.bundle())) {
            for (Path p : files.toList()) {
                Path to = dest.resolve(c.bundle().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return this;
    }

    NodeRoot dirs(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(at(p));
        }
        return this;
    }

    /** Stand-ins for the CNI plugins a Calico node has (calico-ipam is the cni-ipam-link reconciler's job). */
    NodeRoot cniPlugins(String binDir) throws IOException {
        Path bin = Files.createDirectories(at(binDir));
        for (String plugin : List.of("calico", "portmap")) {
            Files.writeString(bin.resolve(plugin), "#!/bin/sh\n");
            Files.setPosixFilePermissions(bin.resolve(plugin), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return this;
    }

    /** Writes {@code /etc/node-agent/agent.yaml} and returns its host path. */
    Path config(String yaml) throws IOException {
        Path cfg = at("/etc/node-agent/agent.yaml");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, yaml);
        return cfg;
    }

    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
