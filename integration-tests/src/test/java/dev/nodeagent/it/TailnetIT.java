package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * The real agent ({@code bin/node-agent run}, and {@code bin/node-agent check}) inside a network namespace this
 * test builds the way a Tailscale node looks: {@code tailscale0} (one end of a veth pair; this kernel has no
 * dummy module) with MTU 1280 and 100.64.0.2, its routes in table 52 behind {@code ip rule} priority 5270, a LAN
 * link {@code lan0} with the default route, {@code vxlan.calico}, a CNI conflist and a containerd socket under a
 * temp host root. Each test breaks one thing, waits for the exact state and message, repairs it and waits for the
 * agent to report ok again. All traffic stays inside the namespace. Needs root; skips without it.
 */
class TailnetIT {

    static final String TS = "tailscale0";
    static final Duration WAIT = Duration.ofSeconds(40);
    static final String HEALTHY = "tailscale0 up (MTU 1280); 2 control-plane endpoint(s) via tailscale0, "
            + "1 same-site peer(s) off it";

    static Path dist;
    static Netns ns;
    static Path root;
    static Path config;
    static Process agent;
    static ServerSocketChannel runtimeSocket;
    static boolean vxlan;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Netns.isRoot(), "TailnetIT needs root to create network namespaces; skipped");
        for (String tool : List.of("ip", "curl", "sysctl")) {
            assumeTrue(Netns.has(tool), "TailnetIT needs " + tool + " (iproute2, curl, procps); skipped");
        }
        dist = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent"));
        assertTrue(Files.isExecutable(dist.resolve("bin/node-agent")), "no distribution at " + dist);
        ns = new Netns("na-tailnet-" + ProcessHandle.current().pid());
        ns.hosts("127.0.0.1 localhost\n127.0.1.1 node1.site.test\n100.64.0.1 cp1.tailnet.test\n");
        ns.exec("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan-peer");
        ns.exec("ip", "link", "set", "lan-peer", "up");
        ns.exec("ip", "addr", "add", "192.168.50.2/24", "dev", "lan0");
        ns.exec("ip", "link", "set", "lan0", "up");
        ns.exec("ip", "route", "add", "default", "via", "192.168.50.1");
        addTailscale0();
        ns.exec("ip", "rule", "add", "table", "52", "priority", "5270"); // as tailscaled does
        vxlan = Netns.runResult(ns.command("ip", "link", "add", "vxlan.calico", "type", "vxlan", "id", "4096",
                "dstport", "4789", "dev", "lan0"), 30).exit() == 0;
        if (vxlan) {
            ns.exec("ip", "link", "set", "vxlan.calico", "mtu", "1230", "up");
        }
        ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");

        root = Files.createTempDirectory("tailnet-it");
        conflist(1230);
        Files.createDirectories(root.resolve("run/containerd"));
        Files.createDirectories(root.resolve("run/node-agent"));
        runtimeSocket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        runtimeSocket.bind(UnixDomainSocketAddress.of(root.resolve("run/containerd/containerd.sock")));
        config = writeConfig("agent.yaml", "true", "false");
        agent = new ProcessBuilder(ns.command(dist.resolve("bin/node-agent").toString(), "run", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(root.resolve("agent.log").toFile()).start();
        awaitState("tailnet", s -> s.state() == State.OK);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (agent != null) {
                agent.destroy(); // SIGTERM: the agent stops cleanly
                if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
            if (runtimeSocket != null) {
                runtimeSocket.close();
            }
        } finally {
            try {
                if (ns != null) {
                    ns.close();
                }
            } finally {
                if (root != null) {
                    try (Stream<Path> s = Files.walk(root)) {
                        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aHealthyTailnetNodeIsOkInStatusMetricsAndCheck() throws Exception {
        ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.OK);
        assertEquals(HEALTHY, t.message());
        assertEquals(List.of("interface tailscale0", "tailscale0 MTU", "tailnet route 100.64.0.0/10",
                "route to cp1.tailnet.test", "route to 100.100.1.1", "same-site peer 192.168.50.20", "MTU budget"),
                t.checks().stream().map(Check::name).filter(n -> !n.equals("vxlan.calico MTU")).toList());
        assertTrue(t.checks().stream().allMatch(Check::ok), t.checks().toString());
        assertEquals("cp1.tailnet.test (100.64.0.1) via tailscale0 (table 52)", check(t, "route to cp1.tailnet.test").message());
        assertEquals("pod MTU 1230 + VXLAN 50 <= tailscale0 MTU 1280", check(t, "MTU budget").message());
        ReconcilerStatus p = awaitState("node-prereqs", s -> s.state() == State.OK);
        assertEquals("net.ipv4.ip_forward = 1", check(p, "net.ipv4.ip_forward").message());
        assertEquals("/run/containerd/containerd.sock is a socket", check(p, "container runtime socket").message());
        assertEquals("node1.site.test resolves to 127.0.1.1", check(p, "node name resolves").message());

        String metrics = curl("/metrics");
        assertEquals(Optional.of(1280.0), metric(metrics, "node_agent_interface_mtu_bytes", Map.of("interface", TS)));
        assertEquals(Optional.of(1.0), metric(metrics, "node_agent_route_ok",
                Map.of("destination", "cp1.tailnet.test", "expected_interface", TS)));
        assertEquals(Optional.of(1.0), metric(metrics, "node_agent_route_ok",
                Map.of("destination", "192.168.50.20", "expected_interface", "!" + TS)));
        assertEquals(Optional.of(1.0), metric(metrics, "node_agent_check_ok",
                Map.of("reconciler", "tailnet", "check", "MTU budget", "severity", "failure")));
        assertEquals(Optional.of(1.0), metric(metrics, "node_agent_check_ok",
                Map.of("reconciler", "node-prereqs", "check", "swap", "severity", "warning")));

        Netns.Result check = runCheck(config);
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().contains("tailnet       ok       " + HEALTHY), check.out());
    }

    @Test
    void aMissingTailnetRouteIsFailedBecauseTheEndpointFallsBackToTheLan() throws Exception {
        ns.exec("ip", "route", "del", "100.64.0.0/10", "dev", TS, "table", "52");
        try {
            ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.FAILED);
            assertEquals("TailnetRouteMissing", t.reason());
            assertEquals("100.64.0.1 (in 100.64.0.0/10) routes via lan0 (gateway 192.168.50.1), not tailscale0 (+2 more)",
                    t.message());
            assertEquals("cp1.tailnet.test (100.64.0.1) routes via lan0 (gateway 192.168.50.1), not tailscale0",
                    check(t, "route to cp1.tailnet.test").message());
            assertEquals(Optional.of(0.0), metric(curl("/metrics"), "node_agent_route_ok",
                    Map.of("destination", "cp1.tailnet.test", "expected_interface", TS)));
            Netns.Result ready = Netns.runResult(ns.command("curl", "-s", "-w", " %{http_code}",
                    "http://127.0.0.1:9478/readyz"), 20);
            assertEquals("not ready: failed: tailnet (TailnetRouteMissing)\n 503", ready.out().strip());
            Netns.Result check = runCheck(config);
            assertEquals(1, check.exit(), check.out());
            assertTrue(check.out().contains("    fail  route to cp1.tailnet.test"), check.out());
        } finally {
            ns.exec("ip", "route", "replace", "100.64.0.0/10", "dev", TS, "table", "52");
        }
        assertEquals(HEALTHY, awaitState("tailnet", s -> s.state() == State.OK).message());
    }

    @Test
    void anAbsentTailscale0IsFailedInProductionAndWaitingWhenNotRequired() throws Exception {
        ns.exec("ip", "link", "del", TS);
        try {
            ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.FAILED);
            assertEquals("InterfaceMissing", t.reason());
            assertEquals("tailscale0 not found", t.message());
            String metrics = curl("/metrics");
            assertEquals(Optional.empty(), metric(metrics, "node_agent_interface_mtu_bytes", Map.of("interface", TS)),
                    "no stale MTU series for a missing interface");
            assertFalse(metrics.contains("node_agent_route_ok{"), "no stale route series while routes are not checked");

            Netns.Result optional = runCheck(writeConfig("optional.yaml", "false", "false"));
            assertEquals(0, optional.exit(), optional.out());
            assertTrue(optional.out().contains("tailnet       waiting  InterfaceMissing: tailscale0 not found"),
                    optional.out());
        } finally {
            addTailscale0();
        }
        assertEquals(HEALTHY, awaitState("tailnet", s -> s.state() == State.OK).message());
    }

    @Test
    void aDownTailscale0IsFailed() throws Exception {
        ns.exec("ip", "link", "set", TS, "down");
        try {
            ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.FAILED);
            assertEquals("InterfaceDown", t.reason());
            assertEquals("tailscale0 is down", t.message());
        } finally {
            ns.exec("ip", "link", "set", TS, "up");
            ns.exec("ip", "route", "replace", "100.64.0.0/10", "dev", TS, "table", "52"); // the kernel dropped it
        }
        assertEquals(HEALTHY, awaitState("tailnet", s -> s.state() == State.OK).message());
    }

    @Test
    void aPodMtuOf1500OverA1280TailnetIsFailedWithTheFix() throws Exception {
        conflist(1500);
        try {
            ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.FAILED);
            assertEquals("MtuBudgetExceeded", t.reason());
            assertEquals("pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230"
                    + (vxlan ? " (+1 more)" : ""), t.message());
            if (vxlan) {
                assertEquals("vxlan.calico MTU 1230 differs from the pod MTU 1500 in /etc/cni/net.d/10-calico.conflist;"
                        + " Calico has not applied it yet (restart calico-node)", check(t, "vxlan.calico MTU").message());
            }
        } finally {
            conflist(1230);
        }
        assertEquals(HEALTHY, awaitState("tailnet", s -> s.state() == State.OK).message());
    }

    @Test
    void aSameSitePeerRoutedViaTheTailnetIsFailed() throws Exception {
        ns.exec("ip", "route", "add", "192.168.50.20/32", "dev", TS, "table", "52"); // a too-wide subnet route
        try {
            ReconcilerStatus t = awaitState("tailnet", s -> s.state() == State.FAILED);
            assertEquals("PeerViaTailnet", t.reason());
            assertEquals("same-site peer 192.168.50.20 routes via tailscale0 (table 52); same-site traffic must stay"
                    + " on the LAN (a Tailscale subnet route covers it?)", t.message());
            assertEquals(Optional.of(0.0), metric(curl("/metrics"), "node_agent_route_ok",
                    Map.of("destination", "192.168.50.20", "expected_interface", "!" + TS)));
        } finally {
            ns.exec("ip", "route", "del", "192.168.50.20/32", "dev", TS, "table", "52");
        }
        assertEquals(HEALTHY, awaitState("tailnet", s -> s.state() == State.OK).message());
    }

    @Test
    void ipForwardOffFailsNodePrereqsAndFixTrueSetsItBack() throws Exception {
        ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=0");
        try {
            ReconcilerStatus p = awaitState("node-prereqs", s -> s.state() == State.FAILED);
            assertEquals("NetIpv4IpForwardFailed", p.reason());
            assertEquals("net.ipv4.ip_forward = 0 (expected 1); pods cannot reach other nodes;"
                    + " `sysctl -w net.ipv4.ip_forward=1` and persist it, or set fix: true", p.message());
            assertEquals(Optional.of(0.0), metric(curl("/metrics"), "node_agent_check_ok",
                    Map.of("reconciler", "node-prereqs", "check", "net.ipv4.ip_forward", "severity", "failure")));

            Netns.Result fixed = runCheck(writeConfig("fix.yaml", "true", "true"));
            assertEquals(0, fixed.exit(), fixed.out());
            assertTrue(fixed.out().contains("net.ipv4.ip_forward was 0; set it to 1 (fix: true)"), fixed.out());
            assertEquals("net.ipv4.ip_forward = 1", ns.exec("sysctl", "net.ipv4.ip_forward").strip());
        } finally {
            ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
        assertEquals("net.ipv4.ip_forward = 1",
                check(awaitState("node-prereqs", s -> s.state() == State.OK), "net.ipv4.ip_forward").message());
    }

    @Test
    void strictRpFilterIsAWarningAndFixTrueSetsLoose() throws Exception {
        ns.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1");
        try {
            String name = "net.ipv4.conf.all.rp_filter";
            ReconcilerStatus p = awaitState("node-prereqs", s -> s.state() == State.OK
                    && s.checks().stream().anyMatch(c -> c.name().equals(name) && !c.ok()));
            assertTrue(check(p, name).message().startsWith("net.ipv4.conf.all.rp_filter = 1 (strict): packets arriving"
                    + " on another interface than the route back are dropped"), check(p, name).message());
            assertEquals(Optional.of(0.0), metric(curl("/metrics"), "node_agent_check_ok",
                    Map.of("reconciler", "node-prereqs", "check", name, "severity", "warning")));

            Path fix = root.resolve("rp-fix.yaml");
            Files.writeString(fix, Files.readString(writeConfig("rp.yaml", "true", "false"))
                    .replace("    ipForward:\n", "    rpFilter: {fix: true}\n    ipForward:\n"));
            Netns.Result fixed = runCheck(fix);
            assertEquals(0, fixed.exit(), fixed.out());
            assertTrue(fixed.out().contains("net.ipv4.conf.all.rp_filter was 1; set it to 2 (fix: true)"), fixed.out());
            assertEquals("net.ipv4.conf.all.rp_filter = 2", ns.exec("sysctl", name).strip());
        } finally {
            ns.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        }
    }

    // ---- the namespace and the agent

    static void addTailscale0() throws IOException, InterruptedException {
        ns.exec("ip", "link", "add", TS, "type", "veth", "peer", "name", "ts-peer");
        ns.exec("ip", "link", "set", "ts-peer", "up");
        ns.exec("ip", "link", "set", TS, "mtu", "1280");
        ns.exec("ip", "addr", "add", "100.64.0.2/32", "dev", TS);
        ns.exec("ip", "link", "set", TS, "up");
        ns.exec("ip", "route", "replace", "100.64.0.0/10", "dev", TS, "table", "52");
    }

    /** Replaces the conflist atomically, as a CNI installer would. */
    static void conflist(int mtu) throws IOException {
        Path dir = Files.createDirectories(root.resolve("etc/cni/net.d"));
        Path tmp = dir.resolve(".10-calico.conflist.tmp");
        Files.writeString(tmp, """
                {"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [
                  {"type": "calico", "mtu": %d, "ipam": {"type": "calico-ipam"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """.formatted(mtu));
        Files.move(tmp, dir.resolve("10-calico.conflist"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    static Path writeConfig(String file, String required, String fixIpForward) throws IOException {
        Path p = root.resolve(file);
        Files.writeString(p, """
                node:
                  name: node1.site.test
                  role: worker
                hostRoot: %s
                http:
                  listen: 127.0.0.1:9478
                controlSocket: /run/node-agent/control.sock
                reconcilers:
                  # only the two reconcilers under test
                  certBundle: {enabled: false}
                  kubeconfigs: {enabled: false}
                  cniConfig: {enabled: false}
                  cniIpamLink: {enabled: false}
                  nodeConditions: {enabled: false}
                  bootstrapManifests: {enabled: false}
                  tailscaleStatus: {enabled: false}
                  tailnet:
                    interval: 1h   # reacts through the netlink watch, never the interval
                    required: %s
                    controlPlaneEndpoints: [cp1.tailnet.test, 100.100.1.1]
                    sameSitePeers: [192.168.50.20]
                  nodePrereqs:
                    interval: 1s
                    ipForward:
                      fix: %s
                """.formatted(root, required, fixIpForward));
        return p;
    }

    static Netns.Result runCheck(Path cfg) throws IOException, InterruptedException {
        return Netns.runResult(ns.command(dist.resolve("bin/node-agent").toString(), "check", "--config",
                cfg.toString()), 120);
    }

    static String curl(String path) throws IOException, InterruptedException {
        Netns.Result r = Netns.runResult(ns.command("curl", "-s", "--max-time", "5", "http://127.0.0.1:9478" + path), 20);
        if (r.exit() != 0) {
            throw new IOException("curl " + path + " exit " + r.exit());
        }
        return r.out();
    }

    static ReconcilerStatus awaitState(String name, Predicate<ReconcilerStatus> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ReconcilerStatus last = null;
        String lastError = "";
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                fail("the agent exited " + agent.exitValue() + ":\n" + Files.readString(root.resolve("agent.log")));
            }
            try {
                AgentStatus s = ApiJson.read(curl("/status"), AgentStatus.class);
                last = s.reconciler(name).orElseThrow();
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e.getMessage(); // not listening yet
            }
            Thread.sleep(200);
        }
        return fail(name + " did not reach the expected state within " + WAIT.toSeconds() + "s; last: " + last
                + " " + lastError + "\nagent log:\n" + Files.readString(root.resolve("agent.log")));
    }

    static Check check(ReconcilerStatus s, String name) {
        return s.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseGet(() -> fail("no check '" + name + "' in " + s.checks()));
    }

    /** The value of the series {@code name} whose labels include {@code labels}, from Prometheus text. */
    static Optional<Double> metric(String text, String name, Map<String, String> labels) {
        return text.lines().filter(l -> l.startsWith(name + "{"))
                .filter(l -> labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\"")))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }
}
