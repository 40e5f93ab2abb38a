package dev.nodeagent.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import dev.nodeagent.it.Dist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon under the file-system sandbox of {@code systemd/node-agent.service} (rebuilt by
 * {@link UnitSandbox} from the unit file itself), on worker and control-plane roots in production layout: every
 * reconciler must settle ok, or waiting for the one reason this machine gives (no tailscale0), and nothing may say
 * "Read-only file system". The issue "Day one on a real node": the shipped unit did not list
 * {@code /var/lib/kube-proxy}, so the kube-proxy kubeconfig failed with EROFS on every worker. Run against another
 * unit with {@code -Dnodeagent.it.unit=FILE} (e.g. {@code git show b98bfb6~1:systemd/node-agent.service}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceSandboxIT {

    static final Duration SETTLE = Duration.ofSeconds(120);
    static final String READ_ONLY = SandboxedAgent.READ_ONLY;

    Path tmp;
    Path unit;
    NodeRoot.Cluster cluster;

    @BeforeAll
    void cluster(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Dist.hasTool("bwrap"), "bubblewrap is not installed (Debian: bubblewrap); skipped");
        Assumptions.assumeTrue(Dist.hasTool("ssh-keygen"), "ssh-keygen is not installed (Debian: openssh-client); skipped");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root: the unit runs the agent as root with CAP_CHOWN/CAP_DAC_OVERRIDE (bubblewrap keeps only those)");
        tmp = dir;
        unit = Path.of(System.getProperty("nodeagent.it.unit", Dist.repo().resolve("systemd/node-agent.service").toString()));
        cluster = NodeRoot.Cluster.create(Files.createDirectories(dir.resolve("cluster")));
    }

    @Test
    void aWorkerSettlesUnderTheShippedUnitsSandbox() throws Exception {
        int port = Dist.freePort();
        NodeRoot node = new NodeRoot(tmp.resolve("w1"))
                .hostKey(cluster, "w1", "/etc/ssh/ssh_host_ed25519_key")
                .bundle(cluster, "/var/lib/node-agent/bundle")
                // what the kubelet, kube-proxy and CNI packages create; a worker has no /etc/kubernetes (skipped: "-")
                .dirs("/var/lib/kubelet", "/var/lib/kube-proxy", "/etc/cni/net.d")
                .cniPlugins("/opt/cni/bin");
        node.config(config("w1", "worker", port, ""));
        AgentStatus status = settle(node, UnitFile.read(unit), port);

        assertEquals(Map.of("cert-bundle", "OK", "kubeconfigs", "OK", "cni-config", "OK", "cni-ipam-link", "OK",
                "node-prereqs", "OK", "tailnet", "WAITING InterfaceMissing", "tailscale-status", "WAITING TailscaleAbsent"),
                summary(status));
        for (String f : new String[] {"/var/lib/kubelet/kubeconfig", "/var/lib/kube-proxy/kubeconfig",
            "/etc/cni/net.d/calico-kubeconfig", "/etc/cni/net.d/10-calico.conflist"}) {
            assertTrue(Files.isRegularFile(node.at(f)), f + " was not written");
        }
        assertTrue(Files.isSymbolicLink(node.at("/opt/cni/bin/calico-ipam")));
    }

    @Test
    void aControlPlaneSettlesUnderTheShippedUnitsSandbox() throws Exception {
        int port = Dist.freePort();
        NodeRoot node = new NodeRoot(tmp.resolve("cp1"))
                .hostKey(cluster, "cp1", "/etc/ssh/ssh_host_ed25519_key")
                .bundle(cluster, "/var/lib/node-agent/bundle")
                .dirs("/var/lib/kubelet", "/var/lib/kube-proxy", "/etc/kubernetes", "/var/lib/kubernetes", "/etc/cni/net.d")
                .cniPlugins("/opt/cni/bin");
        node.config(config("cp1", "control-plane", port, """
                  bootstrapManifests:
                    enabled: false   # needs an API server; not this test's concern
                """));
        AgentStatus status = settle(node, UnitFile.read(unit), port);

        assertEquals(Map.of("cert-bundle", "OK", "kubeconfigs", "OK", "cni-config", "OK", "cni-ipam-link", "OK",
                "node-prereqs", "OK", "tailnet", "WAITING InterfaceMissing", "tailscale-status", "WAITING TailscaleAbsent"),
                summary(status));
        for (String f : new String[] {"/var/lib/kubelet/kubeconfig", "/var/lib/kube-proxy/kubeconfig",
            "/etc/kubernetes/admin.kubeconfig", "/var/lib/kubernetes/kube-controller-manager.kubeconfig",
            "/var/lib/kubernetes/kube-scheduler.kubeconfig"}) {
            assertTrue(Files.isRegularFile(node.at(f)), f + " was not written");
        }
    }

    /** Runs the agent in the sandbox until every reconciler has left STARTING and failing-on-first-try behind. */
    AgentStatus settle(NodeRoot node, UnitFile unitFile, int port) throws Exception {
        UnitSandbox sandbox = new UnitSandbox(unitFile, node.root, Dist.home(), "/usr/lib/node-agent");
        try (SandboxedAgent agent = SandboxedAgent.start(sandbox, node.root.getParent().resolve(node.root.getFileName() + ".log"), port)) {
            Predicate<ReconcilerStatus> settled = r -> r.state() == State.OK
                    || (r.state() == State.WAITING && (r.reason().equals("InterfaceMissing") || r.reason().equals("TailscaleAbsent")));
            AgentStatus status = agent.awaitAll("every reconciler ok (tailnet: waiting InterfaceMissing)", settled, SETTLE);
            assertFalse(agent.lastBody().contains(READ_ONLY), agent.lastBody());
            assertFalse(agent.log().contains(READ_ONLY), agent.log());
            return status;
        }
    }

    static Map<String, String> summary(AgentStatus status) {
        Map<String, String> out = new TreeMap<>();
        for (ReconcilerStatus r : status.reconcilers()) {
            out.put(r.name(), r.state() == State.OK ? "OK" : r.state() + " " + r.reason());
        }
        return out;
    }

    /**
     * An agent.yaml that leaves every path at its default (the production paths the unit must cover), with short
     * intervals, no hooks, and the cluster-facing node-conditions off (no API server here).
     */
    static String config(String name, String role, int port, String extraReconcilers) {
        return """
                node:
                  name: %s
                  role: %s
                hostRoot: /
                http:
                  listen: 127.0.0.1:%d
                log:
                  level: info
                  format: text
                reconcilers:
                  certBundle:
                    interval: 2s
                  kubeconfigs:
                    interval: 2s
                    clusterName: ducksnest-k8s
                    server: https://127.0.0.1:6443
                  cniConfig:
                    interval: 2s
                  cniIpamLink:
                    interval: 2s
                  tailnet:
                    required: false   # this machine has no tailscale0: waiting InterfaceMissing
                    controlPlaneEndpoints: []
                  nodePrereqs:
                    ipForward: {severity: warning}
                    runtimeSocket: {severity: warning}   # no containerd here
                  nodeConditions:
                    enabled: false   # needs an API server
                  clockSkew:
                    enabled: false   # needs an API server
                %s""".formatted(name, role, port, extraReconcilers);
    }
}
