package dev.nodeagent.agent.reconcilers.manifests;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.config.Role;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.kube.KubeSession;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.MtuBudget;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.manifests.ApplyStrategy;
import dev.nodeagent.manifests.ClusterApplier;
import dev.nodeagent.manifests.ClusterApplier.Action;
import dev.nodeagent.manifests.ClusterApplier.Item;
import dev.nodeagent.manifests.ManifestLoader;
import dev.nodeagent.manifests.ManifestProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps every manifest in the configured directories applied (the control plane's CRDs, RBAC, Calico …), replacing
 * run-once bootstrap units: a pass loads all documents, compares each with the cluster and server-side applies
 * only what differs (see {@link ClusterApplier}), so drift is corrected within one interval and a steady-state pass
 * only reads. A malformed document or a rejected object fails the pass with its file and document number, after the
 * rest were applied; custom resources whose CRD is not Established yet make it {@code waiting}.
 */
public final class BootstrapManifestsReconciler implements Reconciler {

    public static final String NAME = "bootstrap-manifests";

    /**
     * {@code reconcilers.bootstrapManifests}: {@code directories} (default {@code /etc/node-agent/manifests}),
     * {@code kubeconfig} (default {@code /etc/kubernetes/admin.kubeconfig}: a user that may create CRDs and RBAC),
     * {@code prune} (default false), {@code variables} ({@code NAME: value} for {@code ${NAME}} in manifests;
     * {@code CALICO_MTU} defaults to the tailnet budget, 1280 − VXLAN 50 = 1230), {@code requestTimeout} (10s).
     */
    public record Settings(List<String> directories, String kubeconfig, boolean prune, Map<String, String> variables,
                           Duration requestTimeout) {
        public static Settings parse(ConfigNode n) {
            List<String> dirs = n.stringList("directories", List.of("/etc/node-agent/manifests"));
            for (int i = 0; i < dirs.size(); i++) {
                if (!dirs.get(i).startsWith("/")) {
                    n.problem("directories", "entry " + (i + 1) + " must be an absolute path, not '" + dirs.get(i) + "'");
                }
            }
            Map<String, String> vars = new TreeMap<>();
            vars.put("CALICO_MTU", String.valueOf(MtuBudget.maxPodMtu(1280, Encapsulation.VXLAN)));
            ConfigNode v = n.child("variables");
            for (String key : v.keys()) {
                if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    v.problem(key, "variable names are letters, digits and _ (used as ${NAME})");
                }
                vars.put(key, v.string(key, ""));
            }
            return new Settings(dirs.stream().filter(d -> d.startsWith("/")).toList(),
                    n.absolutePath("kubeconfig", "/etc/kubernetes/admin.kubeconfig"), n.bool("prune", false),
                    Map.copyOf(vars), n.duration("requestTimeout", Duration.ofSeconds(10)));
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("bootstrapManifests", Duration.ofMinutes(1), Duration.ofMinutes(2),
                    role -> role == Role.CONTROL_PLANE, (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new BootstrapManifestsReconciler(settings, services.hostPaths(),
                    ApplyStrategy.SERVER_SIDE_APPLY));

    private final Settings settings;
    private final HostPaths paths;
    private final ApplyStrategy strategy;
    private final KubeSession session;

    public BootstrapManifestsReconciler(Settings settings, HostPaths paths, ApplyStrategy strategy) {
        this.settings = settings;
        this.paths = paths;
        this.strategy = strategy;
        this.session = new KubeSession(settings.kubeconfig(), paths, settings.requestTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        List<Path> dirs = settings.directories().stream().map(paths::resolve).toList();
        ManifestLoader.Result loaded = ManifestLoader.load(dirs, settings.directories(), settings.variables());
        KubeSession.Access access = session.access();
        if (access.waiting() != null) {
            return access.waiting();
        }
        ClusterApplier.Report report = new ClusterApplier(access.client(), strategy)
                .apply(loaded.manifests(), context.forced(), settings.prune());
        List<String> problems = new ArrayList<>();
        loaded.problems().stream().map(ManifestProblem::toString).forEach(problems::add);
        report.items().stream().filter(i -> i.action() == Action.FAILED)
                .map(i -> i.origin() + ": " + i.ref() + ": " + String.join("; ", i.detail())).forEach(problems::add);
        List<String> deferred = report.items().stream().filter(i -> i.action() == Action.DEFERRED)
                .map(Item::ref).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("documents", loaded.manifests().size() + loaded.problems().size());
        for (Action a : Action.values()) {
            if (report.count(a) > 0) {
                details.put(a.name().toLowerCase(java.util.Locale.ROOT), report.count(a));
            }
        }
        if (!problems.isEmpty()) {
            details.put("problems", problems.subList(0, Math.min(10, problems.size())));
        }
        String counts = "created " + report.count(Action.CREATE) + ", updated " + report.count(Action.UPDATE)
                + ", unchanged " + report.count(Action.UNCHANGED)
                + (settings.prune() ? ", deleted " + report.count(Action.DELETE) : "");
        if (!problems.isEmpty()) {
            String reason = loaded.problems().isEmpty() ? "ApplyFailed" : "MalformedManifest";
            String more = problems.size() > 1 ? " (+" + (problems.size() - 1) + " more)" : "";
            return Outcome.failed(reason, problems.getFirst() + more + "; " + counts).withDetails(details);
        }
        if (!deferred.isEmpty()) {
            return Outcome.waiting("CrdNotEstablished", deferred.size() + " custom resource(s) wait for their CRD ("
                    + deferred.getFirst() + (deferred.size() > 1 ? ", …" : "") + "); " + counts).withDetails(details);
        }
        return Outcome.ok(report.changed(), loaded.manifests().size() + " objects applied: " + counts)
                .withDetails(details);
    }
}
