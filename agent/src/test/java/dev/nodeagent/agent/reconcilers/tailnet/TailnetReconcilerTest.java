package dev.nodeagent.agent.reconcilers.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.tailnet.TailnetReconciler.Settings;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check logic against a fake iproute2 and resolver; the real kernel is exercised by TailnetIT. */
class TailnetReconcilerTest {

    @TempDir
    Path root;
    FakeIp ip = new FakeIp();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Resolver resolver = host -> switch (host) {
        case "cp1.tailnet.test" -> List.of(InetAddress.getByAddress(host, new byte[] {100, 64, 0, 1}));
        default -> {
            if (host.matches("[0-9.]+")) {
                yield List.of(InetAddress.getByName(host));
            }
            throw new UnknownHostException(host);
        }
    };

    @BeforeEach
    void healthyNode() throws Exception {
        ip.up("tailscale0", 1280).up("lan0", 1500)
                .route("100.64.0.1", "tailscale0", null, "52")
                .route("192.168.50.20", "lan0", null, null);
        conflist(1230);
    }

    Outcome pass(boolean required, List<String> endpoints, List<String> peers) throws Exception {
        Settings s = new Settings("tailscale0", 1280, endpoints, peers, Cidr.parse("100.64.0.0/10").orElseThrow(),
                required, Settings.DEFAULT_CONFLIST, Encapsulation.VXLAN);
        return new TailnetReconciler(s, new KernelNet(ip), resolver, new HostPaths(root), registry)
                .reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
    }

    Outcome pass() throws Exception {
        return pass(true, List.of("cp1.tailnet.test"), List.of("192.168.50.20"));
    }

    void conflist(int mtu) throws Exception {
        Path f = root.resolve("etc/cni/net.d/10-calico.conflist");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"plugins\":[{\"type\":\"calico\",\"mtu\":" + mtu + "}]}");
    }

    static Check check(Outcome o, String name) {
        return o.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no check " + name + " in " + o.checks()));
    }

    @Test
    void aHealthyNodeIsOkWithEveryCheckPassing() throws Exception {
        Outcome o = pass();
        assertEquals(State.OK, o.state(), o.message());
        assertEquals("tailscale0 up (MTU 1280); 1 control-plane endpoint(s) via tailscale0, 1 same-site peer(s) off it",
                o.message());
        assertEquals(List.of("interface tailscale0", "tailscale0 MTU", "tailnet route 100.64.0.0/10",
                "route to cp1.tailnet.test", "same-site peer 192.168.50.20", "MTU budget"),
                o.checks().stream().map(Check::name).toList());
        assertTrue(o.checks().stream().allMatch(Check::ok));
    }

    @Test
    void aMissingInterfaceIsFailedWhenRequiredAndWaitingOtherwise() throws Exception {
        ip.links.remove("tailscale0");
        Outcome required = pass();
        assertEquals(State.FAILED, required.state());
        assertEquals("InterfaceMissing", required.reason());
        assertEquals("tailscale0 not found", required.message());
        Outcome optional = pass(false, List.of(), List.of());
        assertEquals(State.WAITING, optional.state());
        assertEquals("tailscale0 not found", optional.message());
        assertEquals(Severity.WARNING, optional.checks().getFirst().severity());
    }

    @Test
    void anInterfaceWithoutCarrierIsFailedAndSaysWhy() throws Exception {
        ip.link("tailscale0", 1280, "LOWERLAYERDOWN", "NO-CARRIER", "UP");
        Outcome o = pass();
        assertEquals("InterfaceDown", o.reason());
        assertEquals("tailscale0 has no carrier (operstate LOWERLAYERDOWN)", o.message());
    }

    @Test
    void anEndpointRoutedViaTheLanNamesTheRouteItTakes() throws Exception {
        ip.route("100.64.0.1", "lan0", "192.168.50.1", null);
        Outcome o = pass();
        assertEquals(State.FAILED, o.state());
        assertEquals("TailnetRouteMissing", o.reason());
        assertEquals("cp1.tailnet.test (100.64.0.1) routes via lan0 (gateway 192.168.50.1), not tailscale0",
                check(o, "route to cp1.tailnet.test").message());
    }

    @Test
    void anUnresolvableEndpointOrAnUnroutableOneFails() throws Exception {
        Outcome o = pass(true, List.of("nowhere.test", "10.9.9.9"), List.of());
        assertEquals("cannot resolve nowhere.test", check(o, "route to nowhere.test").message());
        assertEquals("10.9.9.9: ip route get 10.9.9.9: Network is unreachable", check(o, "route to 10.9.9.9").message());
        assertEquals("EndpointNotViaTailnet", o.reason());
    }

    @Test
    void aSameSitePeerViaTheTailnetFails() throws Exception {
        ip.route("192.168.50.20", "tailscale0", null, "52");
        Outcome o = pass();
        assertEquals("PeerViaTailnet", o.reason());
        assertEquals("same-site peer 192.168.50.20 routes via tailscale0 (table 52); same-site traffic must stay on"
                + " the LAN (a Tailscale subnet route covers it?)", o.message());
    }

    @Test
    void theMtuBudgetUsesTheOneRuleAndGivesTheFix() throws Exception {
        conflist(1500);
        Outcome o = pass();
        assertEquals("MtuBudgetExceeded", o.reason());
        assertEquals("pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230", o.message());
    }

    @Test
    void anAbsentConflistSkipsTheBudgetWithAnOkMessage() throws Exception {
        Files.delete(root.resolve("etc/cni/net.d/10-calico.conflist"));
        Outcome o = pass();
        assertEquals(State.OK, o.state());
        assertEquals("no CNI conflist at /etc/cni/net.d/10-calico.conflist; MTU budget not checked",
                check(o, "MTU budget").message());
    }

    @Test
    void vxlanCalicoMustFitTheBudgetAndAgreeWithTheConflist() throws Exception {
        ip.up("vxlan.calico", 1450);
        Outcome o = pass();
        assertEquals("VxlanMtuMismatch", o.reason());
        assertEquals("vxlan.calico: pod MTU 1450 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230",
                o.message());
        ip.up("vxlan.calico", 1200);
        assertEquals("vxlan.calico MTU 1200 differs from the pod MTU 1230 in /etc/cni/net.d/10-calico.conflist;"
                + " Calico has not applied it yet (restart calico-node)", pass().message());
        ip.up("vxlan.calico", 1230);
        assertEquals(State.OK, pass().state());
    }

    @Test
    void anUnexpectedInterfaceMtuFails() throws Exception {
        ip.up("tailscale0", 1500);
        assertEquals("tailscale0 MTU 1500, expected 1280 (expectedMtu)", pass().message());
    }

    @Test
    void routeAndMtuGaugesFollowEachPassWithoutStaleSeries() throws Exception {
        Settings s = new Settings("tailscale0", 1280, List.of("cp1.tailnet.test"), List.of("192.168.50.20"),
                Cidr.parse("100.64.0.0/10").orElseThrow(), true, Settings.DEFAULT_CONFLIST, Encapsulation.VXLAN);
        TailnetReconciler r = new TailnetReconciler(s, new KernelNet(ip), resolver, new HostPaths(root), registry);
        ReconcileContext ctx = new ReconcileContext(Instant.EPOCH, false, 0);
        r.reconcile(ctx);
        assertEquals(1280.0, registry.get("node_agent_interface_mtu_bytes").tag("interface", "tailscale0").gauge().value());
        assertEquals(1.0, registry.get("node_agent_route_ok").tag("destination", "cp1.tailnet.test")
                .tag("expected_interface", "tailscale0").gauge().value());
        assertEquals(1.0, registry.get("node_agent_route_ok").tag("destination", "192.168.50.20")
                .tag("expected_interface", "!tailscale0").gauge().value());

        ip.route("100.64.0.1", "lan0", "192.168.50.1", null);
        ip.up("tailscale0", 1500);
        r.reconcile(ctx);
        assertEquals(0.0, registry.get("node_agent_route_ok").tag("destination", "cp1.tailnet.test").gauge().value());
        assertEquals(1500.0, registry.get("node_agent_interface_mtu_bytes").gauge().value());

        ip.links.remove("tailscale0");
        r.reconcile(ctx);
        assertTrue(registry.find("node_agent_interface_mtu_bytes").gauges().isEmpty(), "no MTU for a missing interface");
        assertTrue(registry.find("node_agent_route_ok").gauges().isEmpty(), "no stale route series while not checked");

        ip.up("tailscale0", 1280).route("100.64.0.1", "tailscale0", null, "52");
        r.reconcile(ctx);
        assertEquals(1.0, registry.get("node_agent_route_ok").tag("destination", "cp1.tailnet.test").gauge().value());
        assertEquals(3, registry.find("node_agent_route_ok").gauges().size(), "range, endpoint, peer");
    }

    @Test
    void aNewerInstanceOwnsTheSeriesAnOlderOneRegistered() throws Exception {
        pass();
        ip.up("tailscale0", 1400);
        pass(); // a second reconciler on the same registry (e.g. node-agent check after a daemon in one JVM)
        assertEquals(1400.0, registry.get("node_agent_interface_mtu_bytes").gauge().value());
    }
}
