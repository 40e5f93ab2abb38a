package dev.nodeagent.agent.reconcilers.pathprobe;

import dev.nodeagent.agent.spec.AgentServices;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.tailnet.KernelNet;
import dev.nodeagent.agent.reconcilers.tailnet.TailnetReconciler;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Probes the real path to each control-plane endpoint and same-site peer, because the worst network failures pass
 * every config check: a router between sites with a smaller MTU that drops ICMP "fragmentation needed" (a PMTU
 * black hole: VXLAN over Tailscale crawls ~1000× slower, TLS hangs) looks fine to {@code tailnet}'s MTU budget.
 * Per peer and pass: three small echoes (RTT, loss), then don't-fragment echoes to find the largest packet the
 * path carries ({@link PathMtuSearch}: one probe on a healthy path, two to re-verify a known value, at most
 * {@code maxProbes} to search), compared with what the pod network needs: pod MTU + encapsulation overhead.
 * Read-only; a too-small path is {@code PathMtuTooSmall} when routers report it, {@code PathMtuBlackHole} when
 * they stay silent.
 */
public final class PathProbeReconciler implements Reconciler {

    public static final String NAME = "path-probe";
    /** Where a peer is: across the tailnet (control plane) or on this site's LAN; each has its encapsulation. */
    enum Kind { CONTROL_PLANE, SAME_SITE }

    record Peer(String name, Kind kind) {
    }

    /**
     * {@code reconcilers.pathProbe}. Lists and budget inputs left out are taken from {@code reconcilers.tailnet}
     * (the same endpoints, peers, conflist and encapsulation), so turning probes on is {@code enabled: true}.
     */
    public record Settings(Optional<List<String>> controlPlaneEndpoints, Optional<List<String>> sameSitePeers,
                           Optional<Encapsulation> encapsulation, Optional<Encapsulation> sameSiteEncapsulation,
                           int podMtu, Optional<String> cniConflist, Duration probeWait, int maxProbes) {

        public static Settings parse(ConfigNode n) {
            Optional<List<String>> endpoints = n.has("controlPlaneEndpoints")
                    ? Optional.of(n.hostList("controlPlaneEndpoints")) : Optional.empty();
            Optional<List<String>> peers = n.has("sameSitePeers") ? Optional.of(n.hostList("sameSitePeers")) : Optional.empty();
            Optional<Encapsulation> encap = n.has("encapsulation")
                    ? Optional.of(n.enumValue("encapsulation", Encapsulation.class, Encapsulation.VXLAN)) : Optional.empty();
            Optional<Encapsulation> sameSite = n.has("sameSiteEncapsulation")
                    ? Optional.of(n.enumValue("sameSiteEncapsulation", Encapsulation.class, Encapsulation.VXLAN))
                    : Optional.empty();
            int podMtu = n.integer("podMtu", 0, 0, 65535);
            Optional<String> conflist = n.has("cniConflist")
                    ? Optional.of(n.absolutePath("cniConflist", TailnetReconciler.Settings.DEFAULT_CONFLIST)) : Optional.empty();
            Duration wait = n.duration("probeWait", Duration.ofSeconds(1));
            int max = n.integer("maxProbes", 12, 2, 32);
            return new Settings(endpoints, peers, encap, sameSite, podMtu, conflist, wait, max);
        }

        /** Fills what is left out from the tailnet reconciler's settings (or its defaults). */
        Resolved resolve(TailnetReconciler.Settings tailnet) {
            List<Peer> all = new ArrayList<>();
            controlPlaneEndpoints.orElse(tailnet == null ? List.of() : tailnet.controlPlaneEndpoints())
                    .forEach(h -> all.add(new Peer(h, Kind.CONTROL_PLANE)));
            sameSitePeers.orElse(tailnet == null ? List.of() : tailnet.sameSitePeers())
                    .forEach(h -> all.add(new Peer(h, Kind.SAME_SITE)));
            Encapsulation cp = encapsulation.orElse(tailnet == null ? Encapsulation.VXLAN : tailnet.encapsulation());
            return new Resolved(List.copyOf(all), cp, sameSiteEncapsulation.orElse(cp), podMtu,
                    cniConflist.orElse(tailnet == null ? TailnetReconciler.Settings.DEFAULT_CONFLIST : tailnet.cniConflist()),
                    probeWait, maxProbes);
        }
    }

    /** The settings with every default filled in. */
    record Resolved(List<Peer> peers, Encapsulation encapsulation, Encapsulation sameSiteEncapsulation, int podMtu,
                    String cniConflist, Duration probeWait, int maxProbes) {

        Encapsulation encapsulationOf(Peer p) {
            return p.kind() == Kind.CONTROL_PLANE ? encapsulation : sameSiteEncapsulation;
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("pathProbe", Duration.ofMinutes(2), Duration.ofSeconds(90), role -> false,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new PathProbeReconciler(settings.resolve(tailnetSettings(services)),
                    new KernelNet(services.commands()), new Ping(services.commands()), Resolver.SYSTEM,
                    services.hostPaths(), services.metrics().registry()));

    private static TailnetReconciler.Settings tailnetSettings(AgentServices services) {
        var rc = services.config().reconcilers().get(TailnetReconciler.SPEC.config().key());
        return rc != null && rc.settings() instanceof TailnetReconciler.Settings s ? s : null;
    }

    private final Resolved settings;
    private final PeerProbe probe;
    private final PathProbeMetrics metrics;
    /** The last measured path MTU per peer address: the next pass verifies it with two probes instead of searching. */
    private final Map<String, Integer> lastMtu = new HashMap<>();

    PathProbeReconciler(Resolved settings, KernelNet net, Ping ping, Resolver resolver, HostPaths paths,
                        MeterRegistry registry) {
        this.settings = settings;
        this.probe = new PeerProbe(settings, net, ping, resolver, paths);
        this.metrics = new PathProbeMetrics(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        if (settings.peers().isEmpty()) {
            metrics.record(Map.of(), Map.of(), Map.of(), Map.of());
            return Outcome.ok(false, "no control-plane endpoints or same-site peers to probe");
        }
        List<Check> checks = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Map<List<String>, Double> mtu = new LinkedHashMap<>();
        Map<List<String>, Double> required = new LinkedHashMap<>();
        Map<List<String>, Double> rtt = new LinkedHashMap<>();
        Map<List<String>, Double> loss = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (Peer peer : settings.peers()) {
            PeerProbe.Report r = probe.probe(peer, lastMtu);
            checks.add(r.check());
            reasons.add(r.reason());
            List<String> label = List.of(peer.name());
            r.loss().ifPresent(v -> loss.put(label, v));
            r.rttSeconds().ifPresent(v -> rtt.put(label, v));
            r.measured().ifPresent(m -> mtu.put(label, (double) m));
            r.required().ifPresent(v -> required.put(label, (double) v));
            details.put(peer.name(), r.details());
        }
        metrics.record(mtu, required, rtt, loss);
        Outcome o = Outcome.fromChecks(checks, settings.peers().size() + " path(s) carry what the pod network needs");
        if (o.state() == State.FAILED) {
            String reason = "UpToDate";
            for (int i = 0; i < checks.size(); i++) {
                if (!checks.get(i).ok() && checks.get(i).severity() == Severity.FAILURE) {
                    reason = reasons.get(i);
                    break;
                }
            }
            o = new Outcome(State.FAILED, false, reason, o.message(), o.checks(), Map.of());
        }
        return o.withDetails(details);
    }
}
