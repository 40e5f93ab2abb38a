package dev.nodeagent.agent.reconcilers.cniconfig;

import dev.nodeagent.agent.reconcilers.cniipam.CniIpamLinkReconciler;
import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigsReconciler;
import dev.nodeagent.agent.config.AgentConfig.NodeConfig;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.ChangeHooks;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.host.OwnedFiles;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.MtuBudget;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.cniconfig.ConflistValidator.Environment;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the Calico conflist equal to the one rendered from config ({@code mode: manage}), or only validates a
 * conflist someone else manages, e.g. NixOS tmpfiles ({@code mode: check}). In manage mode nothing is written
 * until the plugin binaries and the CNI kubeconfig it names exist (as Calico's install-cni does: binaries first,
 * config last — the kubelet takes a conflist as "network ready"). A hand edit is put back and counted as drift.
 */
public final class CniConfigReconciler implements Reconciler {

    public static final String NAME = "cni-config";

    /** {@code manage}: write the rendered conflist; {@code check}: only validate the existing one. */
    public enum Mode {
        MANAGE,
        CHECK
    }

    /**
     * {@code reconcilers.cniConfig}. {@code mtu} defaults to the largest that fits the tailnet link
     * ({@link MtuBudget#maxPodMtu}); a configured one that does not fit is a config error.
     */
    public record Settings(Mode mode, String file, String binDir, String networkName, String cniVersion, int mtu,
                           Encapsulation encapsulation, String tailnetInterface, int tailnetMtu, String kubeconfig,
                           FileMode fileMode, List<Hook> onChange) {
        public Settings {
            onChange = List.copyOf(onChange);
        }

        public static Settings parse(ConfigNode n, NodeConfig node) {
            Mode mode = n.enumValue("mode", Mode.class, Mode.MANAGE);
            String file = n.absolutePath("file", "/etc/cni/net.d/10-calico.conflist");
            String binDir = n.absolutePath("binDir", "/opt/cni/bin");
            String networkName = n.string("networkName", "k8s-pod-network");
            String cniVersion = n.string("cniVersion", "0.3.1");
            if (!ConflistValidator.SUPPORTED_CNI_VERSIONS.contains(cniVersion)) {
                n.problem("cniVersion", "must be one of " + String.join(", ", ConflistValidator.SUPPORTED_CNI_VERSIONS));
            }
            Encapsulation encapsulation = n.enumValue("encapsulation", Encapsulation.class, Encapsulation.VXLAN);
            String tailnetInterface = n.string("tailnetInterface", "tailscale0");
            int tailnetMtu = n.integer("tailnetMtu", 1280, 576, 65535);
            int mtu = n.integer("mtu", MtuBudget.maxPodMtu(tailnetMtu, encapsulation), 68, 65535);
            MtuBudget.problem(mtu, encapsulation, tailnetInterface, tailnetMtu).ifPresent(p -> n.problem("mtu", p));
            String kubeconfig = n.absolutePath("kubeconfig", "/etc/cni/net.d/calico-kubeconfig");
            int fileMode = n.octalMode("fileMode", 0644);
            Duration hookTimeout = n.duration("hookTimeout", Hook.DEFAULT_TIMEOUT);
            List<Hook> onChange = new ArrayList<>();
            for (String line : n.stringList("onChange", List.of())) {
                if (line.isBlank()) {
                    n.problem("onChange", "an empty command");
                } else {
                    onChange.add(Hook.shell(line, hookTimeout));
                }
            }
            return new Settings(mode, file, binDir, networkName, cniVersion, mtu, encapsulation, tailnetInterface,
                    tailnetMtu, kubeconfig, FileMode.of(fileMode), onChange);
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("cniConfig", Duration.ofSeconds(30), Duration.ofSeconds(30), role -> true,
                    Settings::parse),
            (settings, services) -> new CniConfigReconciler(settings, services.config().node().name(),
                    services.hostPaths(), services.writer(), new HookRunner(services.commands()), services.metrics(),
                    services.clock()));

    private final Settings settings;
    private final String nodeName;
    private final HostPaths paths;
    private final OwnedFiles files;
    private final ChangeHooks hooks;
    private final AgentMetrics metrics;
    private final Environment environment;

    public CniConfigReconciler(Settings settings, String nodeName, HostPaths paths, AtomicWriter writer,
                               HookRunner hookRunner, AgentMetrics metrics, InstantSource clock) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.paths = paths;
        this.files = new OwnedFiles(writer);
        this.hooks = new ChangeHooks(NAME, settings.onChange(), paths, writer, hookRunner, clock);
        this.metrics = metrics;
        this.environment = new Environment(settings.binDir(), paths.resolve(settings.binDir()), paths::resolve,
                settings.encapsulation(), settings.tailnetInterface(), settings.tailnetMtu());
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@code node-agent check} runs these first: the conflist waits for the CNI kubeconfig (kubeconfigs writes it)
     * and for its plugin binaries (cni-ipam-link makes {@code calico-ipam}).
     */
    @Override
    public List<String> dependsOn() {
        return List.of(KubeconfigsReconciler.NAME, CniIpamLinkReconciler.NAME);
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws IOException, InterruptedException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", settings.file());
        details.put("mode", settings.mode().name().toLowerCase());
        Path target = paths.resolve(settings.file());
        if (settings.mode() == Mode.CHECK) {
            if (!Files.isRegularFile(target)) {
                return Outcome.waiting("ConflistMissing", settings.file() + " does not exist yet (mode: check, "
                        + "managed elsewhere)").withDetails(details);
            }
            List<ConflistProblem> problems = ConflistValidator.validate(settings.file(), Files.readAllBytes(target), environment);
            return Outcome.fromChecks(checks(problems), settings.file() + " is valid").withDetails(details);
        }
        byte[] desired = ConflistRenderer.render(settings, nodeName);
        details.put("mtu", settings.mtu());
        details.put("kubeconfig", settings.kubeconfig());
        List<ConflistProblem> problems = ConflistValidator.validate(settings.file(), desired, environment);
        if (!problems.isEmpty()) {
            // Only prerequisites can fail here (binaries, kubeconfig): the rendered JSON and MTU are right by construction.
            boolean kubeconfigOnly = problems.stream().allMatch(p -> p.field().endsWith("kubernetes.kubeconfig"));
            return new Outcome(State.WAITING, false, kubeconfigOnly ? "KubeconfigMissing" : "PluginBinaryMissing",
                    "not writing " + settings.file() + " yet: " + problems.getFirst().field() + ": "
                            + problems.getFirst().message() + (problems.size() > 1 ? " (+" + (problems.size() - 1) + " more)" : ""),
                    checks(problems).stream().map(c -> new Check(c.name(), Severity.WARNING, c.ok(), c.message())).toList(),
                    details);
        }
        OwnedFiles.Result r = files.write(target, desired, settings.fileMode());
        if (r.driftCorrected()) {
            metrics.driftCorrected(NAME, settings.file());
        }
        List<Check> checks = new ArrayList<>(checks(problems));
        if (r.changed()) {
            hooks.schedule(settings.onChange(), List.of(settings.file()));
        }
        checks.addAll(hooks.runPending());
        String message = r.changed() ? "wrote " + settings.file() + (r.driftCorrected() ? " (put back a hand edit)" : "")
                : settings.file() + " up to date";
        Outcome fromChecks = Outcome.fromChecks(checks, message);
        details.put("pendingHooks", hooks.pendingDetails());
        return new Outcome(fromChecks.state(), r.changed(), fromChecks.state() == State.OK
                ? (r.changed() ? "Reconciled" : "UpToDate") : fromChecks.reason(), fromChecks.message(), checks, details);
    }

    /** One failed check per problem (named by file and field), or one passing check when there is none. */
    private List<Check> checks(List<ConflistProblem> problems) {
        if (problems.isEmpty()) {
            return List.of(Check.pass("conflist valid", settings.file() + ": JSON, cniVersion, plugin binaries, "
                    + "kubeconfig and MTU (" + settings.encapsulation().label() + " over " + settings.tailnetInterface()
                    + " " + settings.tailnetMtu() + ") ok"));
        }
        return problems.stream().map(p -> Check.fail(fileName(p.file()) + " " + p.field(), p.toString())).toList();
    }

    private static String fileName(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
