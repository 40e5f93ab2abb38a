package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kube-proxy as a DaemonSet: the pod mounts only {@code /var/lib/kube-proxy} (hostPath) and cannot see
 * {@code /run/node-agent/certs}. The real daemon keeps copies of the certs in the mounted directory; the pod's view
 * is recreated with bubblewrap (only that directory, at its mount path) and the real kubectl loads the kubeconfig
 * there — it gets as far as connecting to the (closed) API server port, while the kubelet's kubeconfig, which
 * references the bundle, cannot even be loaded in the same view. A rotation refreshes the copies, leaves the
 * kubeconfig byte-identical and runs the onChange hook.
 */
class KubeProxyDaemonSetIT {

    @TempDir
    Path root;
    Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    @Test
    void thePodSeesEveryFileItsKubeconfigNamesAndARotationReachesItWithoutARewrite() throws Exception {
        assumeTrue(Dist.hasTool("openssl"), "openssl is not installed; skipping");
        assumeTrue(Dist.hasTool("kubectl"), "kubectl is not installed (Debian package kubernetes-client); skipping");
        assumeTrue(Dist.hasTool("bwrap"), "bubblewrap is not installed (Debian package bubblewrap); skipping");
        Path certs = Files.createDirectories(root.resolve("run/node-agent/certs"));
        for (String name : List.of("ca", "kubelet", "kube-proxy", "calico-cni")) {
            selfSigned(certs, name);
        }
        Path hook = root.resolve("hook.sh"); // what a user's `kubectl rollout restart` hook would be, counted
        Files.writeString(hook, "#!/bin/sh\necho changed >> " + root.resolve("hook.log") + "\n");
        hook.toFile().setExecutable(true);
        int port = Dist.freePort();
        int closed = Dist.freePort(); // nothing listens: kubectl must get as far as connecting
        Path config = root.resolve("agent.yaml");
        Files.writeString(config, """
                node:
                  name: laptop1
                  role: worker
                hostRoot: %s
                http:
                  listen: 127.0.0.1:%d
                log:
                  format: text
                reconcilers:
                  kubeconfigs:
                    interval: 1s
                    clusterName: ducksnest-k8s
                    server: https://127.0.0.1:%d
                    files:
                      - name: kube-proxy
                        copyCertsTo: /var/lib/kube-proxy/pki
                        onChange: %s
                  nodeConditions:
                    enabled: false
                """.formatted(root, port, closed, hook));
        agent = Dist.start(root.resolve("agent.log"), Map.of(), "node-agent", "run", "--config", config.toString());
        Path kubeconfig = root.resolve("var/lib/kube-proxy/kubeconfig");
        Path copy = root.resolve("var/lib/kube-proxy/pki/kube-proxy.crt");
        assertTrue(Dist.await(Duration.ofSeconds(60), () -> hookRuns() == 1 && Files.exists(kubeconfig)),
                "no kube-proxy kubeconfig with copies: " + log());

        String pod = inPod("var/lib/kube-proxy", "/var/lib/kube-proxy/kubeconfig");
        assertFalse(pod.contains("unable to read"), "the pod cannot load what its kubeconfig names:\n" + pod);
        assertTrue(pod.contains("was refused"), "kubectl in the pod's view did not get to connect:\n" + pod);
        String kubelet = inPod("var/lib/kubelet", "/var/lib/kubelet/kubeconfig");
        assertTrue(kubelet.contains("unable to read client-cert /run/node-agent/certs/kubelet.crt"),
                "the probe must tell a kubeconfig the pod cannot load (the bundle's paths) from one it can:\n" + kubelet);

        String before = Files.readString(kubeconfig);
        selfSigned(certs, "kube-proxy"); // rotation: new cert and key at the bundle's stable paths
        String rotated = Files.readString(certs.resolve("kube-proxy.crt"));
        assertTrue(Dist.await(Duration.ofSeconds(30), () -> read(copy).equals(rotated) && hookRuns() == 2),
                "the rotation did not reach the copy and the hook: " + log());
        assertEquals(before, Files.readString(kubeconfig), "stable paths: the kubeconfig is not rewritten");
        assertEquals(Files.readString(certs.resolve("kube-proxy.key")),
                Files.readString(root.resolve("var/lib/kube-proxy/pki/kube-proxy.key")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("var/lib/kube-proxy/pki/kube-proxy.key"))));
        assertFalse(log().contains("PRIVATE KEY"), "key material in the log");
    }

    /** kubectl run with only {@code hostDir} of the host root mounted at its path, as the DaemonSet pod sees it. */
    private String inPod(String hostDir, String kubeconfig) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bwrap", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
                "--tmpfs", "/tmp", "--setenv", "HOME", "/tmp", "--unshare-pid",
                "--ro-bind", root.resolve(hostDir).toString(), "/" + hostDir,
                "kubectl", "--kubeconfig", kubeconfig, "get", "--raw", "/version", "--request-timeout", "5s"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kubectl in bwrap hung");
        return out;
    }

    private int hookRuns() {
        String s = read(root.resolve("hook.log"));
        return s.isEmpty() ? 0 : s.split("\n").length;
    }

    private String log() {
        return read(root.resolve("agent.log"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static void selfSigned(Path dir, String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "1", "-subj", "/CN=" + name, "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".crt").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed: " + out);
    }
}
