package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.reconcile.Watch;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Link;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, every pass and without changing anything, that cross-site traffic really goes through the tailnet:
 * the interface exists and is up with the expected MTU, the tailnet range and every control-plane endpoint route
 * via it, no same-site peer does, and the pod MTU plus encapsulation fits its MTU. Routes are the kernel's own
 * answer ({@code ip route get}), so Tailscale's policy routing (table 52) is seen as it is.
 *
 * <p>A missing interface is {@code failed} when {@code required}, else {@code waiting} (a laptop without
 * Tailscale). While the interface is missing or down the other checks are skipped: their failures would only
 * repeat the cause.
 */
public final class TailnetReconciler implements Reconciler {

    public static final String NAME = "tailnet";
    static final String VXLAN_DEVICE = "vxlan.calico";
    /**
     * {@code reconcilers.tailnet}: {@code interface}, {@code expectedMtu}, {@code controlPlaneEndpoints},
     * {@code sameSitePeers}, {@code tailnetCidr}, {@code required}, {@code cniConflist}, {@code encapsulation}.
     */
    public record Settings(String iface, int expectedMtu, List<String> controlPlaneEndpoints,
                           List<String> sameSitePeers, Cidr tailnetCidr, boolean required, String cniConflist,
                           Encapsulation encapsulation) {

        public static final String DEFAULT_CONFLIST = "/etc/cni/net.d/10-calico.conflist";

        public static Settings parse(ConfigNode n) {
            String iface = n.string("interface", "tailscale0");
            if (!iface.matches("[A-Za-z0-9._@-]{1,15}")) {
                n.problem("interface", "must be a network interface name (at most 15 characters), not '" + iface + "'");
                iface = "tailscale0";
            }
            int mtu = n.integer("expectedMtu", 1280, 576, 65535);
            List<String> endpoints = n.hostList("controlPlaneEndpoints");
            List<String> peers = n.hostList("sameSitePeers");
            String cidrText = n.string("tailnetCidr", "100.64.0.0/10");
            Cidr cidr = Cidr.parse(cidrText).orElse(null);
            if (cidr == null) {
                n.problem("tailnetCidr", "must be an address range like 100.64.0.0/10, not '" + cidrText + "'");
                cidr = Cidr.parse("100.64.0.0/10").orElseThrow();
            }
            boolean required = n.bool("required", true);
            String conflist = n.absolutePath("cniConflist", DEFAULT_CONFLIST);
            Encapsulation encap = n.enumValue("encapsulation", Encapsulation.class, Encapsulation.VXLAN);
            return new Settings(iface, mtu, endpoints, peers, cidr, required, conflist, encap);
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("tailnet", Duration.ofMinutes(5), Duration.ofSeconds(20), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new TailnetReconciler(settings, new KernelNet(services.commands()),
                    Resolver.SYSTEM, services.hostPaths(), services.metrics().registry()));

    private final Settings settings;
    private final KernelNet net;
    private final RouteChecks routes;
    private final HostPaths paths;
    private final TailnetMetrics metrics;

    public TailnetReconciler(Settings settings, KernelNet net, Resolver resolver, HostPaths paths,
                             MeterRegistry registry) {
        this.settings = settings;
        this.net = net;
        this.routes = new RouteChecks(net, resolver, settings.iface());
        this.paths = paths;
        this.metrics = new TailnetMetrics(registry);
    }

    /** Links, addresses and routes (tailscale0 down, a route gone), and the conflist the MTU budget reads. */
    @Override
    public List<Watch> watches() {
        return List.of(Watch.network(), Watch.file(paths.resolve(settings.cniConflist())));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        String iface = settings.iface();
        String ifaceCheck = "interface " + iface;
        Optional<Link> found = net.link(iface);
        if (found.isEmpty()) {
            metrics.interfaceMtu(Map.of());
            metrics.routes(Map.of());
            String msg = iface + " not found";
            if (!settings.required()) {
                return Outcome.waiting("InterfaceMissing", msg)
                        .withChecks(List.of(new Check(ifaceCheck, Severity.WARNING, false, msg)));
            }
            return new Outcome(State.FAILED, false, "InterfaceMissing", msg, List.of(Check.fail(ifaceCheck, msg)), Map.of());
        }
        Link link = found.get();
        metrics.interfaceMtu(Map.of(List.of(iface), (double) link.mtu()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("interface", iface);
        details.put("mtu", link.mtu());
        details.put("operstate", link.operState());
        if (!link.up()) {
            metrics.routes(Map.of());
            String msg = link.adminUp() ? iface + " has no carrier (operstate " + link.operState() + ")" : iface + " is down";
            return new Outcome(State.FAILED, false, "InterfaceDown", msg, List.of(Check.fail(ifaceCheck, msg)), details);
        }

        Findings f = new Findings();
        f.add(Check.pass(ifaceCheck, iface + " is up (operstate " + link.operState() + ")"), "InterfaceDown");
        f.add(Check.failIfNot(link.mtu() == settings.expectedMtu(), iface + " MTU",
                link.mtu() == settings.expectedMtu() ? iface + " MTU " + link.mtu()
                        : iface + " MTU " + link.mtu() + ", expected " + settings.expectedMtu() + " (expectedMtu)"),
                "MtuMismatch");
        Map<List<String>, Double> routeOk = new LinkedHashMap<>();
        routes.tailnetRange(settings.tailnetCidr(), f, routeOk);
        settings.controlPlaneEndpoints().forEach(e -> routes.endpoint(e, f, routeOk));
        settings.sameSitePeers().forEach(p -> routes.sameSitePeer(p, f, routeOk));
        metrics.routes(routeOk);
        new MtuChecks(net, paths, settings).check(link, f);

        Outcome o = Outcome.fromChecks(f.checks(), iface + " up (MTU " + link.mtu() + "); "
                + settings.controlPlaneEndpoints().size() + " control-plane endpoint(s) via " + iface + ", "
                + settings.sameSitePeers().size() + " same-site peer(s) off it");
        if (o.state() == State.FAILED) {
            o = new Outcome(State.FAILED, false, f.firstFailureReason(), o.message(), o.checks(), Map.of());
        }
        return o.withDetails(details);
    }
}
