package dev.nodeagent.agent.reconcilers.pathprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler.Kind;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler.Peer;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler.Resolved;
import dev.nodeagent.agent.reconcilers.tailnet.KernelNet;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts, reasons, metrics and probe counts against simulated paths; the real kernel is PathProbeIT's. */
class PathProbeReconcilerTest {

    /** iproute2 and iputils ping for simulated paths: per address a link, a path MTU, ICMP or silence above it. */
    static final class FakeNetwork extends CommandRunner {
        record Path(String dev, int mtu, boolean icmp, boolean answers) {
        }

        final Map<String, Integer> links = new HashMap<>();
        final Map<String, Path> paths = new HashMap<>();
        final List<List<String>> pings = new ArrayList<>();

        @Override
        public Result run(List<String> command, Duration timeout) {
            if (command.subList(0, 4).equals(List.of("ip", "-j", "route", "get"))) {
                Path p = paths.get(command.getLast());
                return p == null ? new Result(2, "", "RTNETLINK answers: Network is unreachable\n", false)
                        : new Result(0, "[{\"dst\":\"" + command.getLast() + "\",\"dev\":\"" + p.dev + "\",\"flags\":[]}]",
                        "", false);
            }
            if (command.subList(0, 4).equals(List.of("ip", "-j", "link", "show"))) {
                String dev = command.getLast();
                return new Result(0, "[{\"ifname\":\"" + dev + "\",\"flags\":[\"UP\",\"LOWER_UP\"],\"mtu\":"
                        + links.get(dev) + ",\"operstate\":\"UP\"}]", "", false);
            }
            if (command.getFirst().equals("ping")) {
                pings.add(command);
                String addr = command.getLast();
                int count = Integer.parseInt(command.get(command.indexOf("-c") + 1));
                int size = Integer.parseInt(command.get(command.indexOf("-s") + 1)) + 28;
                Path p = paths.get(addr);
                String head = "PING " + addr + " (" + addr + ") " + (size - 28) + "(" + size + ") bytes of data.\n";
                if (p.answers && size <= p.mtu) {
                    return new Result(0, head + "\n--- " + addr + " ping statistics ---\n" + count
                            + " packets transmitted, " + count + " received, 0% packet loss, time 200ms\n"
                            + "rtt min/avg/max/mdev = 0.100/2.500/4.000/0.100 ms\n", "", false);
                }
                String err = p.answers && p.icmp ? "From 10.0.0.1 icmp_seq=1 Frag needed and DF set (mtu = " + p.mtu + ")\n" : "";
                return new Result(1, head + err + "\n--- " + addr + " ping statistics ---\n" + count
                        + " packets transmitted, 0 received, 100% packet loss, time 200ms\n", "", false);
            }
            throw new AssertionError("unexpected command " + command);
        }
    }

    @TempDir
    Path root;
    FakeNetwork net = new FakeNetwork();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Resolver resolver = host -> {
        if (host.equals("cp1.tailnet.test")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {100, 64, 0, 1}));
        }
        if (host.matches("[0-9.]+")) {
            return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
    };
    PathProbeReconciler reconciler;

    @BeforeEach
    void healthy() throws Exception {
        net.links.put("tailscale0", 1280);
        net.links.put("lan0", 1500);
        net.paths.put("100.64.0.1", new FakeNetwork.Path("tailscale0", 1280, true, true));
        net.paths.put("192.168.50.20", new FakeNetwork.Path("lan0", 1500, true, true));
        Path f = root.resolve("etc/cni/net.d/10-calico.conflist");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"plugins\":[{\"type\":\"calico\",\"mtu\":1230}]}");
        reconciler = reconciler(0);
    }

    PathProbeReconciler reconciler(int podMtu) {
        Resolved s = new Resolved(List.of(new Peer("cp1.tailnet.test", Kind.CONTROL_PLANE),
                new Peer("192.168.50.20", Kind.SAME_SITE)), Encapsulation.VXLAN, Encapsulation.VXLAN, podMtu,
                "/etc/cni/net.d/10-calico.conflist", Duration.ofSeconds(1), 12);
        return new PathProbeReconciler(s, new KernelNet(net), new Ping(net), resolver, new HostPaths(root), registry);
    }

    Outcome pass() throws Exception {
        return reconciler.reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
    }

    static Check check(Outcome o, String name) {
        return o.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + o.checks()));
    }

    double gauge(String name, String peer) {
        return registry.get(name).tag("peer", peer).gauge().value();
    }

    @Test
    void healthyPathsAreOkWithTheirMtuRttAndLoss() throws Exception {
        Outcome o = pass();
        assertEquals(State.OK, o.state(), o.message());
        assertEquals("2 path(s) carry what the pod network needs", o.message());
        assertEquals("path MTU to cp1.tailnet.test (100.64.0.1) is 1280 via tailscale0 (needs 1280: pod MTU 1230 + VXLAN 50)",
                check(o, "path MTU cp1.tailnet.test").message());
        assertEquals("path MTU to 192.168.50.20 is 1500 via lan0 (needs 1280: pod MTU 1230 + VXLAN 50)",
                check(o, "path MTU 192.168.50.20").message());
        assertEquals(1280.0, gauge("node_agent_path_mtu_bytes", "cp1.tailnet.test"));
        assertEquals(1280.0, gauge("node_agent_path_mtu_required_bytes", "cp1.tailnet.test"));
        assertEquals(0.0025, gauge("node_agent_path_rtt_seconds", "192.168.50.20"));
        assertEquals(0.0, gauge("node_agent_path_loss_ratio", "192.168.50.20"));
        // bounded: per peer 1 reachability call (3 echoes) + 1 probe at the link MTU
        assertEquals(4, net.pings.size());
    }

    @Test
    void aSilentSmallerHopIsAPathMtuBlackHoleWithTheMeasuredValueAndTheFix() throws Exception {
        net.paths.put("100.64.0.1", new FakeNetwork.Path("tailscale0", 1200, false, true));
        Outcome o = pass();
        assertEquals(State.FAILED, o.state());
        assertEquals("PathMtuBlackHole", o.reason());
        assertEquals("path to cp1.tailnet.test (100.64.0.1) silently drops packets above 1200 bytes via tailscale0"
                + " (no ICMP 'fragmentation needed': a PMTU black hole); pod MTU 1230 + VXLAN 50 needs 1280;"
                + " set the Calico MTU to 1150, or let ICMP type 3 code 4 through", o.message());
        assertEquals(1200.0, gauge("node_agent_path_mtu_bytes", "cp1.tailnet.test"));
        assertTrue(check(o, "path MTU 192.168.50.20").ok());
        assertTrue(net.pings.size() <= 2 + 2 * 12, "bounded: " + net.pings.size());
        assertTrue(net.pings.stream().allMatch(c -> c.containsAll(List.of("-M", "do"))), "don't fragment, always");
    }

    @Test
    void aSmallerHopThatReportsItIsPathMtuTooSmall() throws Exception {
        net.paths.put("192.168.50.20", new FakeNetwork.Path("lan0", 1200, true, true));
        Outcome o = pass();
        assertEquals("PathMtuTooSmall", o.reason());
        assertEquals("path MTU to 192.168.50.20 is 1200 via lan0 (routers report it), but pod MTU 1230 + VXLAN 50"
                + " needs 1280; set the Calico MTU to 1150", o.message());
    }

    @Test
    void aSecondPassOnlyReverifiesTheKnownMtu() throws Exception {
        net.paths.put("100.64.0.1", new FakeNetwork.Path("tailscale0", 1200, false, true));
        pass();
        net.pings.clear();
        Outcome o = pass();
        assertEquals("PathMtuBlackHole", o.reason());
        assertEquals(3 + 2, net.pings.size(), "cp: reach + 1200 + 1201; peer: reach + 1500 (the ceiling): " + net.pings);
    }

    @Test
    void anUnreachablePeerIsAWarningWithFullLossAndNoMtu() throws Exception {
        net.paths.put("192.168.50.20", new FakeNetwork.Path("lan0", 1500, true, false));
        Outcome o = pass();
        assertEquals(State.OK, o.state());
        Check c = check(o, "path MTU 192.168.50.20");
        assertEquals(Severity.WARNING, c.severity());
        assertEquals("192.168.50.20 answered none of 3 echo requests via lan0; path MTU not measured (peer down,"
                + " or ICMP echo filtered)", c.message());
        assertEquals(1.0, gauge("node_agent_path_loss_ratio", "192.168.50.20"));
        assertTrue(registry.find("node_agent_path_mtu_bytes").tag("peer", "192.168.50.20").gauges().isEmpty());
    }

    @Test
    void withoutAPodMtuTheLinkMtuIsTheBudget() throws Exception {
        Files.delete(root.resolve("etc/cni/net.d/10-calico.conflist"));
        net.paths.put("192.168.50.20", new FakeNetwork.Path("lan0", 1400, false, true));
        Outcome o = pass();
        assertEquals("PathMtuBlackHole", o.reason());
        assertTrue(o.message().contains("lan0 MTU (no pod MTU configured) needs 1500; lower lan0's MTU to 1400"),
                o.message());
        assertTrue(check(o, "path MTU cp1.tailnet.test").ok());
    }

    @Test
    void noPeersIsOkAndProbesNothing() throws Exception {
        Resolved none = new Resolved(List.of(), Encapsulation.VXLAN, Encapsulation.VXLAN, 0, "/x", Duration.ofSeconds(1), 12);
        Outcome o = new PathProbeReconciler(none, new KernelNet(net), new Ping(net), resolver, new HostPaths(root),
                registry).reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
        assertEquals(State.OK, o.state());
        assertEquals(0, net.pings.size());
    }
}
