package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real agent probing real paths between network namespaces it did not make: a node namespace (the agent, with
 * {@code tailscale0} at MTU 1280 and Tailscale's table 52 / rule 5270, and {@code lan0}), a router namespace
 * between the node and a control-plane namespace ({@code 100.64.0.1}) whose far link has MTU 1200, and a
 * same-site peer on the LAN (MTU 1500). The black hole is real: nftables in the router drops its own ICMP
 * "fragmentation needed", so 1280-byte packets simply vanish. The pod MTU is 1230 with VXLAN, so the config-only
 * budget (1230 + 50 ≤ 1280, the {@code tailnet} check) passes; only the probe can see the path. All probes go to
 * addresses inside these namespaces. Needs root, iproute2, iputils-ping, nftables and curl; skips without them.
 */
class PathProbeIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String CP = "100.64.0.1";
    static final String LAN_PEER = "192.168.50.20";

    static Path dist;
    static Netns node;
    static Netns router;
    static Netns cp;
    static Netns lan;
    static Path root;
    static Path config;
    static Process agent;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Netns.isRoot(), "PathProbeIT needs root to create network namespaces; skipped");
        for (String tool : List.of("ip", "curl", "nft")) {
            assumeTrue(Netns.has(tool), "PathProbeIT needs " + tool + " (iproute2, curl, nftables); skipped");
        }
        assumeTrue(Netns.runResult(List.of("ping", "-V"), 10).exit() == 0, "PathProbeIT needs iputils-ping; skipped");
        dist = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent"));
        assertTrue(Files.isExecutable(dist.resolve("bin/node-agent")), "no distribution at " + dist);
        long pid = ProcessHandle.current().pid();
        node = new Netns("na-pp-node-" + pid);
        router = new Netns("na-pp-rtr-" + pid);
        cp = new Netns("na-pp-cp-" + pid);
        lan = new Netns("na-pp-lan-" + pid);

        // node tailscale0 <-> router ts-r (1280, like Tailscale), routes in table 52 behind rule 5270
        Netns.run("ip", "link", "add", "tailscale0", "netns", node.name, "mtu", "1280", "type", "veth", "peer", "name",
                "ts-r", "netns", router.name, "mtu", "1280");
        node.exec("ip", "addr", "add", "100.64.0.2/32", "dev", "tailscale0");
        node.exec("ip", "link", "set", "tailscale0", "up");
        node.exec("ip", "route", "add", "100.64.0.0/10", "via", "100.64.0.254", "dev", "tailscale0", "onlink",
                "table", "52");
        node.exec("ip", "rule", "add", "table", "52", "priority", "5270");
        router.exec("ip", "addr", "add", "100.64.0.254/32", "dev", "ts-r");
        router.exec("ip", "link", "set", "ts-r", "up");
        router.exec("ip", "route", "add", "100.64.0.2/32", "dev", "ts-r");
        // router r-cp <-> cp cp0: the smaller hop
        Netns.run("ip", "link", "add", "r-cp", "netns", router.name, "type", "veth", "peer", "name", "cp0", "netns",
                cp.name);
        router.exec("ip", "addr", "add", "10.99.0.1/30", "dev", "r-cp");
        router.exec("ip", "link", "set", "r-cp", "up");
        router.exec("ip", "route", "add", CP + "/32", "via", "10.99.0.2");
        router.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        cp.exec("ip", "addr", "add", "10.99.0.2/30", "dev", "cp0");
        cp.exec("ip", "addr", "add", CP + "/32", "dev", "cp0");
        cp.exec("ip", "link", "set", "cp0", "up");
        cp.exec("ip", "route", "add", "default", "via", "10.99.0.1");
        // node lan0 <-> same-site peer, 1500 all the way
        Netns.run("ip", "link", "add", "lan0", "netns", node.name, "type", "veth", "peer", "name", "peer0", "netns",
                lan.name);
        node.exec("ip", "addr", "add", "192.168.50.2/24", "dev", "lan0");
        node.exec("ip", "link", "set", "lan0", "up");
        lan.exec("ip", "addr", "add", LAN_PEER + "/24", "dev", "peer0");
        lan.exec("ip", "link", "set", "peer0", "up");

        hop(1200, true);
        root = Files.createTempDirectory("path-probe-it");
        Path conflist = Files.createDirectories(root.resolve("etc/cni/net.d")).resolve("10-calico.conflist");
        Files.writeString(conflist, """
                {"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [
                  {"type": "calico", "mtu": 1230, "ipam": {"type": "calico-ipam"}}]}
                """);
        Files.createDirectories(root.resolve("run/node-agent"));
        config = root.resolve("agent.yaml");
        Files.writeString(config, """
                node:
                  name: node1.site.test
                  role: worker
                hostRoot: %s
                http:
                  listen: 127.0.0.1:9478
                controlSocket: /run/node-agent/control.sock
                reconcilers:
                  certBundle: {enabled: false}
                  kubeconfigs: {enabled: false}
                  cniConfig: {enabled: false}
                  cniIpamLink: {enabled: false}
                  nodePrereqs: {enabled: false}
                  nodeConditions: {enabled: false}
                  bootstrapManifests: {enabled: false}
                  tailnet:
                    interval: 1s
                    controlPlaneEndpoints: [%s]
                    sameSitePeers: [%s]
                  pathProbe:
                    enabled: true
                    interval: 1s
                """.formatted(root, CP, LAN_PEER));
        agent = new ProcessBuilder(node.command(dist.resolve("bin/node-agent").toString(), "run", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(root.resolve("agent.log").toFile()).start();
    }

    /** The router→control-plane hop: its MTU, and whether the router drops its own "fragmentation needed". */
    static void hop(int mtu, boolean blackHole) throws IOException, InterruptedException {
        router.exec("ip", "link", "set", "r-cp", "mtu", Integer.toString(mtu));
        cp.exec("ip", "link", "set", "cp0", "mtu", Integer.toString(mtu));
        Netns.runResult(router.command("nft", "delete", "table", "ip", "pmtu_black_hole"), 10);
        if (blackHole) {
            router.exec("nft", "add", "table", "ip", "pmtu_black_hole");
            router.exec("nft", "add", "chain", "ip", "pmtu_black_hole", "out",
                    "{ type filter hook output priority 0 ; }");
            router.exec("nft", "add", "rule", "ip", "pmtu_black_hole", "out", "icmp", "type", "destination-unreachable",
                    "icmp", "code", "frag-needed", "drop");
        }
        // forget PMTUs the node's kernel learnt from earlier ICMP, as a real node would after ~10 minutes
        node.exec("ip", "route", "flush", "cache");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (agent != null) {
                agent.destroy();
                if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        } finally {
            for (Netns ns : new Netns[] {node, router, cp, lan}) {
                if (ns != null) {
                    ns.close();
                }
            }
            if (root != null) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    void aPmtuBlackHoleIsDetectedWhileTheConfigOnlyBudgetPasses() throws Exception {
        hop(1200, true);
        ReconcilerStatus p = awaitState(s -> s.state() == State.FAILED && s.reason().equals("PathMtuBlackHole"));
        assertEquals("path to 100.64.0.1 silently drops packets above 1200 bytes via tailscale0 (no ICMP 'fragmentation"
                + " needed': a PMTU black hole); pod MTU 1230 + VXLAN 50 needs 1280; set the Calico MTU to 1150,"
                + " or let ICMP type 3 code 4 through", p.message());
        assertEquals("path MTU to 192.168.50.20 is 1500 via lan0 (needs 1280: pod MTU 1230 + VXLAN 50)",
                check(p, "path MTU " + LAN_PEER).message(), "the healthy LAN path is not flagged");

        ReconcilerStatus t = awaitReconciler("tailnet", s -> s.state() == State.OK);
        assertEquals("pod MTU 1230 + VXLAN 50 <= tailscale0 MTU 1280", check(t, "MTU budget").message(),
                "the config-only check passes: only probing sees the black hole");

        String metrics = curl("/metrics");
        assertEquals(Optional.of(1200.0), metric(metrics, "node_agent_path_mtu_bytes", CP));
        assertEquals(Optional.of(1280.0), metric(metrics, "node_agent_path_mtu_required_bytes", CP));
        assertEquals(Optional.of(1500.0), metric(metrics, "node_agent_path_mtu_bytes", LAN_PEER));
        assertEquals(Optional.of(0.0), metric(metrics, "node_agent_path_loss_ratio", CP));
        assertTrue(metric(metrics, "node_agent_path_rtt_seconds", CP).orElseThrow() > 0, metrics);

        Netns.Result check = Netns.runResult(node.command(dist.resolve("bin/node-agent").toString(), "check",
                "--config", config.toString()), 120);
        assertEquals(1, check.exit(), check.out());
        assertTrue(check.out().lines().anyMatch(l -> l.matches(
                "path-probe +failed +PathMtuBlackHole: path to 100\\.64\\.0\\.1 silently drops packets above 1200 bytes.*")),
                check.out());
    }

    @Test
    void aSmallerHopThatSendsFragmentationNeededIsPathMtuTooSmall() throws Exception {
        hop(1200, false);
        ReconcilerStatus p = awaitState(s -> s.reason().equals("PathMtuTooSmall"));
        assertEquals("path MTU to 100.64.0.1 is 1200 via tailscale0 (routers report it), but pod MTU 1230 + VXLAN 50"
                + " needs 1280; set the Calico MTU to 1150", p.message());
    }

    @Test
    void aHealthyPathIsNotFlagged() throws Exception {
        hop(1500, true); // the filter stays, but nothing is too big for the hop: no ICMP is needed
        ReconcilerStatus p = awaitState(s -> s.state() == State.OK);
        assertEquals("2 path(s) carry what the pod network needs", p.message());
        assertEquals("path MTU to 100.64.0.1 is 1280 via tailscale0 (needs 1280: pod MTU 1230 + VXLAN 50)",
                check(p, "path MTU " + CP).message());
        assertEquals(Optional.of(1280.0), metric(curl("/metrics"), "node_agent_path_mtu_bytes", CP));
    }

    // ---- helpers

    static ReconcilerStatus awaitState(Predicate<ReconcilerStatus> done) throws Exception {
        return awaitReconciler("path-probe", done);
    }

    static ReconcilerStatus awaitReconciler(String name, Predicate<ReconcilerStatus> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ReconcilerStatus last = null;
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                fail("the agent exited " + agent.exitValue() + ":\n" + Files.readString(root.resolve("agent.log")));
            }
            try {
                AgentStatus s = ApiJson.read(curl("/status"), AgentStatus.class);
                last = s.reconciler(name).orElseThrow();
                if (last.state() != State.PENDING && done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        return fail(name + " did not reach the expected state within " + WAIT.toSeconds() + "s; last: " + last
                + "\nagent log:\n" + Files.readString(root.resolve("agent.log")));
    }

    static String curl(String path) throws IOException, InterruptedException {
        Netns.Result r = Netns.runResult(node.command("curl", "-s", "--max-time", "5", "http://127.0.0.1:9478" + path), 20);
        if (r.exit() != 0) {
            throw new IOException("curl " + path + " exit " + r.exit());
        }
        return r.out();
    }

    static Check check(ReconcilerStatus s, String name) {
        return s.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseGet(() -> fail("no check '" + name + "' in " + s.checks()));
    }

    static Optional<Double> metric(String text, String name, String peer) {
        return TailnetIT.metric(text, name, Map.of("peer", peer));
    }
}
