package dev.nodeagent.agent.reconcilers.pathprobe;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.MtuBudget;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcilers.pathprobe.PathMtuSearch.Answer;
import dev.nodeagent.agent.reconcilers.pathprobe.PathMtuSearch.Measurement;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler.Peer;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler.Resolved;
import dev.nodeagent.agent.reconcilers.tailnet.CalicoConflist;
import dev.nodeagent.agent.reconcilers.tailnet.CalicoConflist.PodMtu;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Link;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Route;
import dev.nodeagent.agent.reconcilers.tailnet.KernelNet;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One peer's probe: resolve, ask the kernel which link the route leaves by (its MTU is the ceiling), three small
 * echoes for RTT and loss, then the path MTU search, judged against the packet size the pod network sends that
 * way. An unreachable or unresolvable peer is a warning: it says nothing about the MTU, and the tailnet and
 * node conditions report reachability.
 */
final class PeerProbe {

    static final int REACH_COUNT = 3;

    /** The result for one peer: its check, the outcome reason if it fails, and what goes to metrics and details. */
    record Report(Check check, String reason, Optional<Double> loss, Optional<Double> rttSeconds,
                  Optional<Integer> measured, Optional<Integer> required, Map<String, Object> details) {
    }

    /** The packet size a path must carry and why, e.g. {@code 1280}, "pod MTU 1230 + VXLAN 50". */
    record Need(int bytes, String why, Optional<Integer> podMtu, Encapsulation encapsulation) {
    }

    private final Resolved settings;
    private final KernelNet net;
    private final Ping ping;
    private final Resolver resolver;
    private final HostPaths paths;

    PeerProbe(Resolved settings, KernelNet net, Ping ping, Resolver resolver, HostPaths paths) {
        this.settings = settings;
        this.net = net;
        this.ping = ping;
        this.resolver = resolver;
        this.paths = paths;
    }

    static String checkName(Peer p) {
        return "path MTU " + p.name();
    }

    Report probe(Peer peer, Map<String, Integer> lastMtu) throws IOException, InterruptedException {
        String name = checkName(peer);
        Map<String, Object> details = new LinkedHashMap<>();
        InetAddress address;
        try {
            List<InetAddress> all = resolver.resolve(peer.name());
            if (all.isEmpty()) {
                throw new UnknownHostException(peer.name());
            }
            address = all.getFirst();
        } catch (UnknownHostException e) {
            return warn(name, "PeerUnresolvable", "cannot resolve " + peer.name() + "; path not probed", details);
        }
        String shown = shown(peer, address);
        details.put("address", address.getHostAddress());
        Route route;
        Link link;
        try {
            route = net.routeTo(address.getHostAddress());
            link = net.link(route.device()).orElseThrow(() -> new IOException("link " + route.device() + " vanished"));
        } catch (IOException e) {
            return warn(name, "PeerUnroutable", "no route to " + shown + " (" + e.getMessage() + "); path not probed",
                    details);
        }
        int ceiling = link.mtu();
        details.put("interface", link.name());
        details.put("linkMtu", ceiling);
        int small = 56 + Ping.headerBytes(address);
        Ping.Result reach = ping.probe(address, small, REACH_COUNT, settings.probeWait());
        if (reach.error().isPresent() && !reach.replied()) {
            return warn(name, "ProbeFailed", "cannot probe " + shown + ": " + reach.error().get(), details);
        }
        Optional<Double> loss = Optional.of(reach.loss());
        Optional<Double> rtt = reach.avgRttMillis().isPresent()
                ? Optional.of(reach.avgRttMillis().getAsDouble() / 1000.0) : Optional.empty();
        details.put("loss", reach.loss());
        reach.avgRttMillis().ifPresent(ms -> details.put("rttMillis", ms));
        if (!reach.replied()) {
            lastMtu.remove(address.getHostAddress());
            Check c = new Check(name, Severity.WARNING, false, shown + " answered none of " + reach.sent()
                    + " echo requests via " + link.name() + "; path MTU not measured (peer down, or ICMP echo filtered)");
            return new Report(c, "PeerUnreachable", loss, rtt, Optional.empty(), Optional.empty(), details);
        }
        Need need;
        try {
            need = need(peer, link);
        } catch (IOException e) {
            return new Report(Check.fail(name, e.getMessage()), "CniConflistUnreadable", loss, rtt, Optional.empty(),
                    Optional.empty(), details);
        }
        String key = address.getHostAddress();
        Integer previous = lastMtu.get(key);
        Measurement m = PathMtuSearch.measure(size -> {
            Ping.Result r = ping.probe(address, size, 2, settings.probeWait());
            return new Answer(r.replied(), r.reportedMtu());
        }, small, ceiling, previous == null ? OptionalInt.empty() : OptionalInt.of(previous), settings.maxProbes());
        lastMtu.put(key, m.mtu());
        details.put("pathMtu", m.mtu());
        details.put("requiredMtu", need.bytes());
        details.put("probes", m.probes());
        String judged = judge(shown, link, m, need);
        Optional<Integer> measured = Optional.of(m.mtu());
        Optional<Integer> required = Optional.of(need.bytes());
        if (m.mtu() >= need.bytes()) {
            return new Report(Check.pass(name, judged), "PathMtuOk", loss, rtt, measured, required, details);
        }
        return new Report(Check.fail(name, judged), m.icmpSeen() ? "PathMtuTooSmall" : "PathMtuBlackHole", loss, rtt,
                measured, required, details);
    }

    /** The verdict sentence, with the numbers and (when short) the fix. */
    static String judge(String shown, Link link, Measurement m, Need need) {
        String carried = (m.exact() ? "" : "at least ") + m.mtu();
        if (m.mtu() >= need.bytes()) {
            return "path MTU to " + shown + " is " + carried + " via " + link.name() + " (needs " + need.bytes() + ": "
                    + need.why() + ")";
        }
        String fix = need.podMtu().isPresent()
                ? "; set the Calico MTU to " + MtuBudget.maxPodMtu(m.mtu(), need.encapsulation())
                : "; lower " + link.name() + "'s MTU to " + m.mtu() + " or fix the path";
        if (m.icmpSeen()) {
            return "path MTU to " + shown + " is " + carried + " via " + link.name() + " (routers report it), but "
                    + need.why() + " needs " + need.bytes() + fix;
        }
        return "path to " + shown + " silently drops packets above " + m.mtu() + " bytes via " + link.name()
                + " (no ICMP 'fragmentation needed': a PMTU black hole); " + need.why() + " needs " + need.bytes() + fix
                + ", or let ICMP type 3 code 4 through";
    }

    /** Pod MTU + encapsulation when the pod MTU is known (setting, else the CNI conflist), else the link's MTU. */
    Need need(Peer peer, Link link) throws IOException {
        Encapsulation encap = settings.encapsulationOf(peer);
        Optional<Integer> pod = Optional.empty();
        if (settings.podMtu() > 0) {
            pod = Optional.of(settings.podMtu());
        } else if (CalicoConflist.podMtu(paths.resolve(settings.cniConflist()), settings.cniConflist())
                instanceof PodMtu.Value v) {
            pod = Optional.of(v.mtu());
        }
        if (pod.isEmpty()) {
            return new Need(link.mtu(), link.name() + " MTU (no pod MTU configured)", pod, encap);
        }
        String why = "pod MTU " + pod.get() + (encap == Encapsulation.NONE ? "" : " + " + encap.label() + " "
                + encap.overhead());
        return new Need(pod.get() + encap.overhead(), why, pod, encap);
    }

    private static String shown(Peer p, InetAddress a) {
        String ip = a.getHostAddress();
        return p.name().equalsIgnoreCase(ip) || p.name().toLowerCase(Locale.ROOT).equals(ip) ? ip
                : p.name() + " (" + ip + ")";
    }

    private static Report warn(String name, String reason, String message, Map<String, Object> details) {
        return new Report(new Check(name, Severity.WARNING, false, message), reason, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), details);
    }
}
