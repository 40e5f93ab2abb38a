package dev.nodeagent.agent.reconcilers.prereqs;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The node's kernel and host prerequisites, checked every pass (like kubeadm's preflight, but continuously):
 * {@code net.ipv4.ip_forward = 1} (failure), {@code br_netfilter} loaded with
 * {@code net.bridge.bridge-nf-call-iptables = 1} (warning), swap off unless tolerated (warning), the container
 * runtime socket present, the node name resolving (warning), the clock synchronised (warning), and the
 * {@link KernelTunables} (rp_filter, inotify limits, max_map_count, overlay; warnings). It changes nothing
 * except a sysctl whose {@code fix: true} is set, and then says so. {@code /proc} and {@code /sys} are the real
 * ones (never under the host root); the runtime socket is a host path.
 */
public final class NodePrereqsReconciler implements Reconciler {

    public static final String NAME = "node-prereqs";
    static final String IP_FORWARD = "net.ipv4.ip_forward";
    static final String BRIDGE_NF = "net.bridge.bridge-nf-call-iptables";
    static final String DEFAULT_SOCKET = "/run/containerd/containerd.sock";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** One sysctl the reconciler may set itself ({@code fix: true}); {@code severity} when it is wrong. */
    public record SysctlSetting(boolean fix, Severity severity) {
    }

    /** {@code reconcilers.nodePrereqs}: see the README, "Network and kernel checks". */
    public record Settings(SysctlSetting ipForward, SysctlSetting bridgeNfCallIptables, boolean swapTolerated,
                           String runtimeSocket, Severity runtimeSocketSeverity, KernelTunables.Settings tunables) {

        /** With the default kernel tunables (rp_filter, inotify, max_map_count, overlay; no fixes). */
        public Settings(SysctlSetting ipForward, SysctlSetting bridgeNfCallIptables, boolean swapTolerated,
                        String runtimeSocket, Severity runtimeSocketSeverity) {
            this(ipForward, bridgeNfCallIptables, swapTolerated, runtimeSocket, runtimeSocketSeverity,
                    KernelTunables.Settings.defaults());
        }

        public static Settings parse(ConfigNode n) {
            ConfigNode ipf = n.child("ipForward");
            SysctlSetting ipForward = new SysctlSetting(ipf.bool("fix", false),
                    ipf.enumValue("severity", Severity.class, Severity.FAILURE));
            ConfigNode br = n.child("bridgeNfCallIptables");
            SysctlSetting bridge = new SysctlSetting(br.bool("fix", false), Severity.WARNING);
            boolean swap = n.bool("swapTolerated", false);
            ConfigNode rs = n.child("runtimeSocket");
            String socket = rs.absolutePath("path", DEFAULT_SOCKET);
            Severity socketSeverity = rs.enumValue("severity", Severity.class, Severity.FAILURE);
            return new Settings(ipForward, bridge, swap, socket, socketSeverity, KernelTunables.Settings.parse(n));
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("nodePrereqs", Duration.ofSeconds(60), Duration.ofSeconds(20), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new NodePrereqsReconciler(settings, services.config().node().name(),
                    Path.of("/proc"), Path.of("/sys"), services.hostPaths(), Resolver.SYSTEM,
                    new ClockSync(services.commands())));

    private final Settings settings;
    private final String nodeName;
    private final Path proc;
    private final Path sys;
    private final HostPaths paths;
    private final Resolver resolver;
    private final ClockSync clock;

    /** {@code proc}/{@code sys}: the kernel's {@code /proc} and {@code /sys} (other roots in tests only). */
    public NodePrereqsReconciler(Settings settings, String nodeName, Path proc, Path sys, HostPaths paths,
                                 Resolver resolver, ClockSync clock) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.proc = proc;
        this.sys = sys;
        this.paths = paths;
        this.resolver = resolver;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws InterruptedException {
        List<Check> checks = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        checks.add(sysctl(IP_FORWARD, settings.ipForward(), fixed,
                "pods cannot reach other nodes; `sysctl -w net.ipv4.ip_forward=1` and persist it, or set fix: true"));
        if (Files.isDirectory(sys.resolve("module/br_netfilter")) || Files.exists(sysctlPath(BRIDGE_NF))) {
            checks.add(Check.warnIfNot(true, "br_netfilter", "br_netfilter is loaded"));
            checks.add(sysctl(BRIDGE_NF, settings.bridgeNfCallIptables(), fixed,
                    "bridged pod traffic bypasses iptables (Services break); `sysctl -w " + BRIDGE_NF + "=1`"));
        } else {
            checks.add(Check.warnIfNot(false, "br_netfilter", "br_netfilter is not loaded, so " + BRIDGE_NF
                    + " cannot be set; `modprobe br_netfilter` and list it in /etc/modules-load.d"));
        }
        checks.addAll(new KernelTunables(settings.tunables(), proc, sys).check(fixed));
        checks.add(swap());
        checks.add(runtimeSocket());
        checks.add(nodeNameResolves());
        checks.add(clockSynchronised());

        Outcome o = Outcome.fromChecks(checks, "node prerequisites met");
        if (!fixed.isEmpty() && o.state() == State.OK) {
            o = new Outcome(State.OK, true, o.reason().equals("UpToDate") ? "Reconciled" : o.reason(),
                    "set " + String.join(", ", fixed) + "; " + o.message(), o.checks(), Map.of());
        } else if (!fixed.isEmpty()) {
            o = o.withChanged(true);
        }
        return o;
    }

    private Path sysctlPath(String name) {
        return proc.resolve("sys").resolve(name.replace('.', '/'));
    }

    /** Checks that sysctl {@code name} is 1, writing it first when {@code fix} allows. */
    private Check sysctl(String name, SysctlSetting s, List<String> fixed, String hint) {
        Path file = sysctlPath(name);
        String value;
        try {
            value = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return new Check(name, s.severity(), false, name + " does not exist on this kernel");
        } catch (IOException e) {
            return new Check(name, s.severity(), false, "cannot read " + name + ": " + e.getMessage());
        }
        if (value.equals("1")) {
            return new Check(name, s.severity(), true, name + " = 1");
        }
        if (!s.fix()) {
            return new Check(name, s.severity(), false, name + " = " + value + " (expected 1); " + hint);
        }
        try {
            Files.writeString(file, "1\n");
            String now = Files.readString(file).strip();
            if (!now.equals("1")) {
                return new Check(name, s.severity(), false, name + " = " + now + " after writing 1 (fix: true)");
            }
        } catch (IOException e) {
            return new Check(name, s.severity(), false, name + " = " + value + " and setting it failed (fix: true): "
                    + e.getMessage());
        }
        fixed.add(name + "=1");
        return new Check(name, s.severity(), true, name + " was " + value + "; set it to 1 (fix: true)");
    }

    private Check swap() {
        List<String> devices;
        try {
            devices = Files.readAllLines(proc.resolve("swaps")).stream().skip(1).filter(l -> !l.isBlank())
                    .map(l -> l.split("\\s+")[0]).toList();
        } catch (IOException e) {
            return Check.warnIfNot(false, "swap", "cannot read /proc/swaps: " + e.getMessage());
        }
        if (devices.isEmpty()) {
            return Check.warnIfNot(true, "swap", "swap is off");
        }
        String on = "swap is on (" + String.join(", ", devices) + ")";
        if (settings.swapTolerated()) {
            return Check.warnIfNot(true, "swap", on + "; tolerated (swapTolerated: true)");
        }
        return Check.warnIfNot(false, "swap", on + "; the kubelet refuses to start unless failSwapOn is false"
                + " — `swapoff -a`, or set swapTolerated: true");
    }

    private Check runtimeSocket() {
        String shown = settings.runtimeSocket();
        Path p = paths.resolve(shown);
        String name = "container runtime socket";
        Severity sev = settings.runtimeSocketSeverity();
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean socket = (mode & S_IFMT) == S_IFSOCK;
            return new Check(name, sev, socket, socket ? shown + " is a socket"
                    : shown + " exists but is not a socket");
        } catch (NoSuchFileException e) {
            return new Check(name, sev, false, shown + " does not exist; is the container runtime running?");
        } catch (IOException | UnsupportedOperationException e) {
            return new Check(name, sev, false, "cannot stat " + shown + ": " + e.getMessage());
        }
    }

    private Check nodeNameResolves() {
        String name = "node name resolves";
        try {
            List<InetAddress> all = resolver.resolve(nodeName);
            if (!all.isEmpty()) {
                return Check.warnIfNot(true, name, nodeName + " resolves to "
                        + all.stream().map(InetAddress::getHostAddress).distinct().collect(Collectors.joining(", ")));
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        return Check.warnIfNot(false, name, "node name " + nodeName
                + " does not resolve; add it to /etc/hosts or DNS (the API server reaches the kubelet by it)");
    }

    private Check clockSynchronised() throws InterruptedException {
        String name = "clock synchronised";
        ClockSync.Status s = clock.status();
        Optional<Boolean> synced = s.synced();
        if (synced.isEmpty()) {
            return Check.warnIfNot(false, name, "cannot tell whether the clock is synchronised: " + s.source());
        }
        return synced.get()
                ? Check.warnIfNot(true, name, "the clock is synchronised (" + s.source() + ")")
                : Check.warnIfNot(false, name, "the clock is not synchronised (" + s.source()
                        + "); certificates may look expired or not yet valid — start an NTP client (chrony, timesyncd)");
    }
}
