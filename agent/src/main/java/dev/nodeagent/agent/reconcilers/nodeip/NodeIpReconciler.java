package dev.nodeagent.agent.reconcilers.nodeip;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.ChangeHooks;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.nodeip.AddressDetection.Method;
import dev.nodeagent.api.json.PlainJson;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the node's address every pass by the rules Calico's autodetection offers ({@link AddressDetection}) and
 * keeps it in the kubelet's environment file ({@code NODE_IP=…}, default {@code /run/kubelet-env}), written
 * atomically and only when it differs; after a change the {@code onChange} hooks run (e.g.
 * {@code systemctl try-restart kubelet.service}), retried next pass if they fail. So a kubelet never comes up with
 * the Wi-Fi or tailnet address because that interface happened to be first, and a DHCP change is followed.
 */
public final class NodeIpReconciler implements Reconciler {

    public static final String NAME = "node-ip";

    /** {@code reconcilers.nodeIp}: {@code method}, {@code family}, {@code file}, {@code variable}, {@code onChange}. */
    public record Settings(String methodText, Method method, boolean ipv6, String file, String variable,
                           List<Hook> onChange) {

        public static Settings parse(ConfigNode n) {
            String text = n.string("method", "first-found");
            Method method;
            try {
                method = AddressDetection.parse(text);
            } catch (IllegalArgumentException e) {
                n.problem("method", e.getMessage());
                text = "first-found";
                method = new Method.FirstFound();
            }
            String family = n.string("family", "ipv4");
            if (!family.equals("ipv4") && !family.equals("ipv6")) {
                n.problem("family", "must be ipv4 or ipv6, not '" + family + "'");
                family = "ipv4";
            }
            String file = n.absolutePath("file", "/run/kubelet-env");
            String variable = n.string("variable", "NODE_IP");
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                n.problem("variable", "must be an environment variable name, not '" + variable + "'");
                variable = "NODE_IP";
            }
            Duration timeout = n.duration("hookTimeout", Duration.ofSeconds(30));
            List<Hook> hooks = n.stringList("onChange", List.of()).stream().filter(l -> !l.isBlank())
                    .map(l -> Hook.shell(l, timeout)).toList();
            return new Settings(text, method, family.equals("ipv6"), file, variable, hooks);
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("nodeIp", Duration.ofSeconds(30), Duration.ofSeconds(60), role -> false,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new NodeIpReconciler(settings, services.commands(), services.hostPaths(),
                    services.writer(), new HookRunner(services.commands()), services.clock()));

    private final Settings settings;
    private final CommandRunner commands;
    private final HostPaths paths;
    private final AtomicWriter writer;
    private final ChangeHooks hooks;

    public NodeIpReconciler(Settings settings, CommandRunner commands, HostPaths paths, AtomicWriter writer,
                            HookRunner hookRunner, java.time.InstantSource clock) {
        this.settings = settings;
        this.commands = commands;
        this.paths = paths;
        this.writer = writer;
        this.hooks = new ChangeHooks(NAME, settings.onChange(), paths, writer, hookRunner, clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        Optional<InetAddress> picked;
        try {
            picked = detect();
        } catch (IOException e) {
            return Outcome.failed("AddressesUnreadable", e.getMessage());
        }
        if (picked.isEmpty()) {
            return Outcome.waiting("NoAddress", "no " + (settings.ipv6() ? "IPv6" : "IPv4") + " address matches "
                    + settings.methodText() + "; " + settings.file() + " left as it is");
        }
        String ip = picked.get().getHostAddress();
        Path target = paths.resolve(settings.file());
        String before = current(target);
        byte[] content = (settings.variable() + "=" + ip + "\n").getBytes(StandardCharsets.UTF_8);
        boolean changed = writer.write(target, content, FileMode.of(0644));
        String message = settings.variable() + "=" + ip + " (" + settings.methodText() + ") in " + settings.file()
                + (changed ? (before == null ? "" : ", was " + before) : "");
        if (changed) {
            hooks.schedule(settings.onChange(), List.of(settings.file()));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.pass("node address", message));
        List<Check> hookChecks = hooks.runPending();
        checks.addAll(hookChecks);
        Outcome o = Outcome.fromChecks(checks, message);
        if (o.state() == State.FAILED) {
            return new Outcome(State.FAILED, changed, "HookFailed", o.message(), checks, Map.of("nodeIp", ip));
        }
        return new Outcome(State.OK, changed, changed ? "Reconciled" : "UpToDate", message, checks, Map.of("nodeIp", ip));
    }

    private Optional<InetAddress> detect() throws IOException, InterruptedException {
        if (settings.method() instanceof Method.CanReach c) {
            CommandRunner.Result r = commands.run(List.of("ip", "-j", "route", "get", c.destination()), Duration.ofSeconds(5));
            if (!r.ok()) {
                throw new IOException("ip route get " + c.destination() + ": " + r.stderr().strip()
                        .replaceFirst("^RTNETLINK answers: ", ""));
            }
            if (PlainJson.parse(r.stdout()) instanceof List<?> l && !l.isEmpty() && l.getFirst() instanceof Map<?, ?> m
                    && m.get("prefsrc") instanceof String src) {
                return Optional.of(InetAddress.getByName(src));
            }
            return Optional.empty();
        }
        CommandRunner.Result r = commands.run(List.of("ip", "-j", "addr", "show"), Duration.ofSeconds(5));
        if (!r.ok()) {
            throw new IOException("ip -j addr show: " + (r.stderr().isBlank() ? "exit " + r.exitCode() : r.stderr().strip()));
        }
        return AddressDetection.pick(settings.method(), AddressDetection.parseAddrJson(r.stdout()), settings.ipv6());
    }

    private String current(Path target) {
        try {
            String s = Files.readString(target).strip();
            return s.startsWith(settings.variable() + "=") ? s.substring(settings.variable().length() + 1) : s;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
