package dev.nodeagent.agent.reconcilers.tailscalestatus;

import dev.nodeagent.agent.spec.AgentServices;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.GaugeSet;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.tailnet.TailnetReconciler;
import dev.nodeagent.agent.reconcilers.tailscalestatus.TailscaleStatus.Node;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What tailscaled says, read with {@code tailscale --socket S status --json} every pass (local only; no traffic):
 * the backend is {@code Running}, this node's key does not expire within {@code keyExpiryWarning} (14 days; an
 * expired key silently drops the node off the tailnet), and each control-plane peer is online and reached
 * directly — a peer with no {@code CurAddr} goes through a DERP relay, which works but is slow (TCP over HTTPS,
 * rate-limited). Without the CLI the same JSON comes from tailscaled's local API socket ({@link LocalApi}).
 * Neither the CLI nor the socket present: {@code waiting} (a node without Tailscale is not broken).
 */
public final class TailscaleStatusReconciler implements Reconciler {

    public static final String NAME = "tailscale-status";

    /** {@code reconcilers.tailscaleStatus}; {@code controlPlanePeers} defaults to tailnet's controlPlaneEndpoints. */
    public record Settings(String command, String socket, Optional<List<String>> controlPlanePeers,
                           Duration keyExpiryWarning) {

        public static Settings parse(ConfigNode n) {
            String command = n.string("command", "tailscale");
            String socket = n.absolutePath("socket", "/run/tailscale/tailscaled.sock");
            Optional<List<String>> peers = n.has("controlPlanePeers")
                    ? Optional.of(n.stringList("controlPlanePeers", List.of())) : Optional.empty();
            return new Settings(command, socket, peers, n.duration("keyExpiryWarning", Duration.ofDays(14)));
        }

        List<String> peers(TailnetReconciler.Settings tailnet) {
            return controlPlanePeers.orElse(tailnet == null ? List.of() : tailnet.controlPlaneEndpoints());
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("tailscaleStatus", Duration.ofSeconds(60), Duration.ofSeconds(20), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new TailscaleStatusReconciler(settings, settings.peers(tailnet(services)),
                    services.commands(), services.hostPaths(), Resolver.SYSTEM, services.clock(),
                    services.metrics().registry()));

    private static TailnetReconciler.Settings tailnet(AgentServices services) {
        var rc = services.config().reconcilers().get(TailnetReconciler.SPEC.config().key());
        return rc != null && rc.settings() instanceof TailnetReconciler.Settings s ? s : null;
    }

    private final Settings settings;
    private final List<String> peers;
    private final CommandRunner commands;
    private final HostPaths paths;
    private final Resolver resolver;
    private final InstantSource clock;
    private final GaugeSet keyExpiry;
    private final GaugeSet direct;

    public TailscaleStatusReconciler(Settings settings, List<String> peers, CommandRunner commands, HostPaths paths,
                                     Resolver resolver, InstantSource clock, MeterRegistry registry) {
        this.settings = settings;
        this.peers = List.copyOf(peers);
        this.commands = commands;
        this.paths = paths;
        this.resolver = resolver;
        this.clock = clock;
        this.keyExpiry = new GaugeSet(registry, "node_agent_tailscale_key_expiry_timestamp_seconds",
                "Unix time this node's Tailscale key expires; absent when key expiry is disabled.", Tags.empty(),
                List.of());
        this.direct = new GaugeSet(registry, "node_agent_tailscale_peer_direct",
                "1 when tailscaled reaches the control-plane peer directly, 0 when relayed (DERP) or offline.",
                Tags.empty(), List.of("peer"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        boolean socket = Files.exists(paths.resolve(settings.socket()));
        CommandRunner.Result r;
        try {
            r = commands.run(List.of(settings.command(), "--socket", paths.resolve(settings.socket()).toString(),
                    "status", "--json"), Duration.ofSeconds(10));
        } catch (IOException e) {
            if (!socket) {
                clear();
                return Outcome.waiting("TailscaleAbsent", "Tailscale is not installed (no " + settings.command()
                        + " CLI, no " + settings.socket() + ")");
            }
            try {
                // no CLI for the agent, but tailscaled runs: ask its local API directly
                r = new CommandRunner.Result(0, LocalApi.status(paths.resolve(settings.socket()), Duration.ofSeconds(10)),
                        "", false);
            } catch (IOException api) {
                clear();
                return Outcome.failed("TailscaleStatusUnreadable", "no " + settings.command() + " CLI, and "
                        + settings.socket() + " did not answer: " + api.getMessage());
            }
        }
        TailscaleStatus status;
        try {
            // The CLI prints the status JSON with a non-zero exit when the backend is not Running; read it anyway.
            status = TailscaleStatus.parse(r.stdout());
        } catch (IOException e) {
            clear();
            String err = r.stderr().strip().lines().findFirst().orElse("");
            if (!socket) {
                return Outcome.waiting("TailscaledNotRunning", "tailscaled is not running (no " + settings.socket()
                        + (err.isEmpty() ? ")" : "; " + err + ")"));
            }
            return Outcome.failed("TailscaleStatusUnreadable", e.getMessage() + (err.isEmpty() ? "" : " (" + err + ")"));
        }
        List<Check> checks = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean running = status.backendState().equals("Running");
        add(checks, reasons, Check.failIfNot(running, "tailscale backend", "tailscaled backend state "
                + status.backendState() + (running ? "" : hint(status.backendState()))), "TailscaleNotRunning");
        Map<List<String>, Double> expiryValue = new LinkedHashMap<>();
        if (status.self() != null) {
            keyCheck(status.self(), checks, reasons, expiryValue);
        }
        keyExpiry.replaceAll(expiryValue);
        Map<List<String>, Double> directValues = new LinkedHashMap<>();
        if (running) {
            for (String p : peers) {
                peerCheck(p, status, checks, reasons, directValues);
            }
        }
        direct.replaceAll(directValues);
        Outcome o = Outcome.fromChecks(checks, "tailscaled " + status.backendState() + "; " + directValues.values()
                .stream().filter(v -> v == 1.0).count() + " of " + peers.size() + " control-plane peer(s) direct");
        if (o.state() == State.FAILED) {
            for (int i = 0; i < checks.size(); i++) {
                if (!checks.get(i).ok() && checks.get(i).severity() == Severity.FAILURE) {
                    o = new Outcome(State.FAILED, false, reasons.get(i), o.message(), o.checks(), Map.of());
                    break;
                }
            }
        }
        return o;
    }

    private void keyCheck(Node self, List<Check> checks, List<String> reasons, Map<List<String>, Double> value) {
        String name = "tailscale node key";
        if (self.keyExpiry().isEmpty()) {
            add(checks, reasons, Check.pass(name, "key expiry is disabled for this node"), "");
            return;
        }
        Instant at = self.keyExpiry().get();
        value.put(List.of(), (double) at.getEpochSecond());
        Duration left = Duration.between(clock.instant(), at);
        if (left.isNegative() || left.isZero()) {
            add(checks, reasons, Check.fail(name, "this node's Tailscale key expired at " + at
                    + "; the node is off the tailnet until `tailscale up --force-reauth` (or disable key expiry)"),
                    "TailscaleKeyExpired");
        } else if (left.compareTo(settings.keyExpiryWarning()) < 0) {
            add(checks, reasons, Check.warnIfNot(false, name, "this node's Tailscale key expires at " + at + " (in "
                    + left.toDays() + " days); re-authenticate (`tailscale up --force-reauth`) or disable key expiry"
                    + " in the admin console"), "TailscaleKeyExpiresSoon");
        } else {
            add(checks, reasons, Check.pass(name, "key expires at " + at + " (in " + left.toDays() + " days)"), "");
        }
    }

    private void peerCheck(String peer, TailscaleStatus status, List<Check> checks, List<String> reasons,
                           Map<List<String>, Double> directValues) {
        String name = "tailnet peer " + peer;
        List<String> addrs = new ArrayList<>();
        try {
            resolver.resolve(peer).stream().map(InetAddress::getHostAddress).forEach(addrs::add);
        } catch (UnknownHostException e) {
            // match by name only
        }
        Optional<Node> found = status.peers().stream().filter(n -> n.tailscaleIps().stream().anyMatch(addrs::contains)
                || n.hostName().equalsIgnoreCase(peer) || n.shortName().equalsIgnoreCase(peer)
                || n.dnsName().replaceFirst("\\.$", "").equalsIgnoreCase(peer)).findFirst();
        if (found.isEmpty()) {
            directValues.put(List.of(peer), 0.0);
            add(checks, reasons, Check.fail(name, peer + " is not a peer in this node's tailnet (tailscale status"
                    + " lists no such name or TailscaleIP); is it logged in, and do ACLs let this node see it?"),
                    "PeerNotInTailnet");
            return;
        }
        Node n = found.get();
        if (!n.online()) {
            directValues.put(List.of(peer), 0.0);
            add(checks, reasons, Check.fail(name, peer + " (" + n.shortName() + ") is offline in the tailnet"),
                    "PeerOffline");
        } else if (!n.direct()) {
            directValues.put(List.of(peer), 0.0);
            add(checks, reasons, Check.warnIfNot(false, name, peer + " (" + n.shortName() + ") is relayed via DERP"
                    + (n.relay().isEmpty() ? "" : " '" + n.relay() + "'") + ", not direct: slow and rate-limited;"
                    + " check UDP 41641 and NAT (`tailscale netcheck`, `tailscale ping " + n.shortName() + "`)"),
                    "PeerRelayed");
        } else {
            directValues.put(List.of(peer), 1.0);
            add(checks, reasons, Check.pass(name, peer + " (" + n.shortName() + ") direct via " + n.curAddr()), "");
        }
    }

    private static String hint(String state) {
        return switch (state) {
            case "NeedsLogin" -> "; run `tailscale up` (the node is logged out or its key expired)";
            case "NeedsMachineAuth" -> "; approve the machine in the Tailscale admin console";
            case "Stopped" -> "; run `tailscale up`";
            default -> "; expected Running";
        };
    }

    private void clear() {
        keyExpiry.clear();
        direct.clear();
    }

    private static void add(List<Check> checks, List<String> reasons, Check c, String reason) {
        checks.add(c);
        reasons.add(reason);
    }
}
