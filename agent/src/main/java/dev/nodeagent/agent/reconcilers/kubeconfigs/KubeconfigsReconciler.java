package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.reconcilers.certbundle.CertBundleReconciler;
import dev.nodeagent.agent.config.AgentConfig.NodeConfig;
import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.ChangeHooks;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.host.OwnedFiles;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigRenderer.CertMaterial;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps every configured kubeconfig equal to the one rendered from config (fabric8 model), pointing at the cert
 * bundle's stable paths {@code <certDir>/<cert>.crt}, {@code .key} and {@code ca.crt} (or embedding them). A
 * kubeconfig whose certs are not there yet is not written and keeps the reconciler {@code waiting}; the others are
 * written. A file edited by hand is put back and counted as drift. Reported checks: the referenced files exist,
 * and — when {@code kube-apiserver.crt} is in the cert dir — each server host is one of its SANs.
 */
public final class KubeconfigsReconciler implements Reconciler {

    public static final String NAME = "kubeconfigs";
    static final String API_SERVER_CERT = "kube-apiserver.crt";

    /**
     * {@code reconcilers.kubeconfigs}: {@code clusterName}, {@code server} (the API server URL, per file
     * overridable), {@code certDir}, {@code files} (overrides of and additions to the role's defaults),
     * {@code onChange} (run after any kubeconfig changed). {@code server} may be null: nothing is written then.
     */
    public record Settings(String clusterName, String server, String certDir, List<KubeconfigFile> files,
                           List<Hook> onChange) {
        public Settings {
            files = List.copyOf(files);
            onChange = List.copyOf(onChange);
        }

        public static Settings parse(ConfigNode n, NodeConfig node) {
            return KubeconfigsSettingsParser.parse(n, node);
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("kubeconfigs", Duration.ofSeconds(30), Duration.ofSeconds(60), role -> true,
                    Settings::parse),
            (settings, services) -> new KubeconfigsReconciler(settings, services.hostPaths(), services.writer(),
                    new HookRunner(services.commands()), services.metrics(), services.clock()));

    private final Settings settings;
    private final HostPaths paths;
    private final OwnedFiles files;
    private final ChangeHooks hooks;
    private final AgentMetrics metrics;
    private final KubeconfigRenderer renderer = new KubeconfigRenderer();

    public KubeconfigsReconciler(Settings settings, HostPaths paths, AtomicWriter writer, HookRunner hookRunner,
                                 AgentMetrics metrics, InstantSource clock) {
        this.settings = settings;
        this.paths = paths;
        this.files = new OwnedFiles(writer);
        List<Hook> configured = new ArrayList<>(settings.onChange());
        settings.files().forEach(f -> configured.addAll(f.onChange()));
        this.hooks = new ChangeHooks(NAME, configured, paths, writer, hookRunner, clock);
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code node-agent check} runs cert-bundle first: its kubeconfigs reference the certs cert-bundle writes. */
    @Override
    public List<String> dependsOn() {
        return List.of(CertBundleReconciler.NAME);
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws IOException, InterruptedException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cluster", settings.clusterName());
        details.put("certDir", settings.certDir());
        List<Check> checks = new ArrayList<>();
        List<String> waitingFor = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> drifted = new ArrayList<>();
        Set<String> servers = new LinkedHashSet<>();
        for (KubeconfigFile kf : settings.files()) {
            details.put(kf.name(), kf.path());
            if (kf.server() == null) {
                waitingFor.add(kf.name() + " (no server: set reconcilers.kubeconfigs.server)");
                continue;
            }
            servers.add(kf.server());
            List<String> missing = missing(kf);
            checks.add(new Check(kf.name() + " referenced files", Severity.WARNING, missing.isEmpty(), missing.isEmpty()
                    ? "ca.crt, " + kf.cert() + ".crt and " + kf.cert() + ".key present in " + settings.certDir()
                    : "waiting for " + String.join(", ", missing)));
            if (!missing.isEmpty()) {
                waitingFor.add(kf.name() + " (" + String.join(", ", missing) + ")");
                continue;
            }
            Boolean copiesChanged = kf.copyCerts() == null ? Boolean.FALSE : writeCopies(kf, checks, drifted);
            if (copiesChanged == null) {
                continue; // reported by writeCopies; a kubeconfig pointing at copies that are not there is no use
            }
            OwnedFiles.Result r;
            try {
                r = files.write(paths.resolve(kf.path()), renderer.render(settings.clusterName(), kf, material(kf)),
                        kf.mode());
            } catch (IOException e) {
                // One unwritable kubeconfig (e.g. a read-only directory under the service sandbox) must not keep
                // the others from being written: report it by name and go on. The message names the path only.
                checks.add(new Check(kf.name() + " written", Severity.FAILURE, false,
                        "cannot write " + kf.path() + ": " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " " + e.getMessage())));
                continue;
            }
            if (r.changed() || copiesChanged) {
                String what = r.changed() ? kf.path() : kf.copyCerts().hostDir();
                written.add(r.changed() ? kf.path() : kf.name() + "'s cert copies in " + what);
                hooks.schedule(kf.onChange(), List.of(what));
                hooks.schedule(settings.onChange(), List.of(what));
            }
            if (r.driftCorrected()) {
                drifted.add(kf.path());
                metrics.driftCorrected(NAME, kf.path());
            }
        }
        Path apiCert = paths.resolve(settings.certDir()).resolve(API_SERVER_CERT);
        if (Files.isRegularFile(apiCert) && !servers.isEmpty()) {
            checks.add(ApiServerSans.check(apiCert, settings.certDir() + "/" + API_SERVER_CERT, servers));
        }
        checks.addAll(hooks.runPending());
        Outcome o = outcome(checks, waitingFor, written, drifted, details);
        Map<String, Object> withHooks = new LinkedHashMap<>(o.details());
        withHooks.put("pendingHooks", hooks.pendingDetails());
        return o.withDetails(withHooks);
    }

    /** The stable cert paths this kubeconfig references that are not there (host paths, for the message). */
    private List<String> missing(KubeconfigFile kf) {
        List<String> out = new ArrayList<>();
        for (String f : List.of("ca.crt", kf.cert() + ".crt", kf.cert() + ".key")) {
            if (!Files.isRegularFile(paths.resolve(settings.certDir()).resolve(f))) {
                out.add(settings.certDir() + "/" + f);
            }
        }
        return out;
    }

    /**
     * Keeps the copies of this kubeconfig's certs in {@code copyCerts.hostDir}: the certs world-readable like the
     * bundle's, the key with the kubeconfig's own mode and owner (whoever may read the file may read its key).
     * Returns whether any copy changed, or null when one could not be written (reported as a failed check naming
     * it). A hand-edited copy is put back and counted as drift.
     */
    private Boolean writeCopies(KubeconfigFile kf, List<Check> checks, List<String> drifted) {
        Path from = paths.resolve(settings.certDir());
        String hostDir = kf.copyCerts().hostDir();
        FileMode certMode = new FileMode(0644, kf.mode().owner(), kf.mode().group());
        boolean changed = false;
        for (String f : List.of("ca.crt", kf.cert() + ".crt", kf.cert() + ".key")) {
            String target = hostDir + "/" + f;
            OwnedFiles.Result r;
            try {
                r = files.write(paths.resolve(target), Files.readAllBytes(from.resolve(f)),
                        f.endsWith(".key") ? kf.mode() : certMode);
            } catch (IOException e) {
                checks.add(new Check(kf.name() + " cert copies", Severity.FAILURE, false, "cannot write " + target
                        + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())));
                return null;
            }
            changed |= r.changed();
            if (r.driftCorrected()) {
                drifted.add(target);
                metrics.driftCorrected(NAME, target);
            }
        }
        checks.add(new Check(kf.name() + " cert copies", Severity.WARNING, true, "ca.crt, " + kf.cert() + ".crt and "
                + kf.cert() + ".key kept in " + hostDir + (hostDir.equals(kf.copyCerts().podDir()) ? ""
                : ", referenced as " + kf.copyCerts().podDir() + " (where the pod mounts it)")));
        return changed;
    }

    private CertMaterial material(KubeconfigFile kf) throws IOException {
        if (kf.copyCerts() != null) {
            String dir = kf.copyCerts().podDir();
            return CertMaterial.referenced(dir + "/ca.crt", dir + "/" + kf.cert() + ".crt", dir + "/" + kf.cert() + ".key");
        }
        String dir = settings.certDir();
        String ca = dir + "/ca.crt";
        String crt = dir + "/" + kf.cert() + ".crt";
        String key = dir + "/" + kf.cert() + ".key";
        if (!kf.embed()) {
            return CertMaterial.referenced(ca, crt, key);
        }
        return new CertMaterial(ca, crt, key, Files.readAllBytes(paths.resolve(ca)), Files.readAllBytes(paths.resolve(crt)),
                Files.readAllBytes(paths.resolve(key)));
    }

    private static Outcome outcome(List<Check> checks, List<String> waitingFor, List<String> written,
                                   List<String> drifted, Map<String, Object> details) {
        boolean changed = !written.isEmpty();
        String did = changed ? "wrote " + String.join(", ", written)
                + (drifted.isEmpty() ? "" : " (put back hand edits of " + String.join(", ", drifted) + ")") : "";
        List<Check> failures = checks.stream().filter(c -> !c.ok() && c.severity() == Severity.FAILURE).toList();
        if (!failures.isEmpty()) {
            Outcome f = Outcome.fromChecks(checks, "");
            return new Outcome(State.FAILED, changed, f.reason(), f.message(), checks, details);
        }
        if (!waitingFor.isEmpty()) {
            String reason = waitingFor.stream().allMatch(w -> w.contains("no server")) ? "ServerNotConfigured" : "CertMissing";
            return new Outcome(State.WAITING, changed, reason, "waiting for " + String.join("; ", waitingFor)
                    + (changed ? "; " + did : ""), checks, details);
        }
        int n = (int) details.keySet().stream().filter(k -> !k.equals("cluster") && !k.equals("certDir")).count();
        return Outcome.ok(changed, changed ? did : n + " kubeconfig(s) up to date").withChecks(checks).withDetails(details);
    }
}
