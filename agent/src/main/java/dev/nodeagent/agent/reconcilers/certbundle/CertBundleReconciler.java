package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.GenerationSwitcher;
import dev.nodeagent.agent.host.GenerationSwitcher.Entry;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.host.MountTable;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.reconcile.Watch;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.CertState;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.NotReady;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.Verified;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.VerifiedCert;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps {@code <target>} a symlink to a generation dir holding this host's decrypted, validated cert bundle:
 * {@code ca.crt}, {@code <cert>.crt}, {@code <cert>.key}. Each pass reads and decrypts the bundle in memory,
 * validates it, and only when the result differs from the live set writes a new generation and switches to it
 * (see {@link GenerationSwitcher}); then it runs the hooks. An unchanged bundle means no write and no hook. A
 * bundle that fails to decrypt or validate never replaces the live set: the status says which file and check.
 *
 * <p>Status details describe the live set ({@code generation}, {@code certs}); a bundle that was not published is
 * described apart, under {@code rejected} (its reason, message and certs with their checks), so a rejected
 * candidate is never mistaken for what consumers read. The {@code x509_*} metrics follow the live set too; with
 * nothing live yet they show the candidate's certs (public even when no key opens), at their source paths.
 *
 * <p>A hook that fails is reported (status {@code failed}, reason {@code HookFailed}) until the next switch or a
 * forced pass ({@code agentctl resync cert-bundle}), which runs the failed hooks again; hooks are never re-run
 * by an ordinary pass, so a broken hook cannot restart the kubelet every interval.
 */
public final class CertBundleReconciler implements Reconciler {

    public static final String NAME = "cert-bundle";

    public static final ReconcilerSpec<CertBundleSettings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("certBundle", Duration.ofMinutes(5), Duration.ofMinutes(5), role -> true,
                    CertBundleSettings::parse),
            (settings, services) -> new CertBundleReconciler(settings,
                    new LibraryBundleSource(settings, services.config().node().name(), services.hostPaths(), services.clock()),
                    services.hostPaths(), services.commands(), new BundleMetrics(services.metrics().registry()),
                    MountTable.system()));

    private final CertBundleSettings settings;
    private final BundleSource source;
    private final GenerationSwitcher switcher;
    private final HookRunner hooks;
    private final BundleMetrics metrics;
    private final MountTable mounts;
    /** Hooks that failed after the last switch, waiting for a forced pass or the next switch. */
    private List<HookRunner.Run> failedHooks = List.of();
    private long failedHooksGeneration;
    /** The states of the set last published, and its generation; after a restart the live set is read from disk. */
    private List<CertState> liveStates = List.of();
    private long liveStatesGeneration;
    private final List<Watch> watches;

    /** Reads the bundle; package-private seam so the reconciler's publishing logic is testable on its own. */
    interface BundleSource {
        BundleRead read() throws IOException;
    }

    CertBundleReconciler(CertBundleSettings settings, BundleSource source, HostPaths paths, CommandRunner commands,
                         BundleMetrics metrics, MountTable mounts) {
        this.settings = settings;
        this.source = source;
        this.switcher = new GenerationSwitcher(paths.resolve(settings.target()));
        this.hooks = new HookRunner(commands);
        this.metrics = metrics;
        this.mounts = mounts;
        // the bundle (k8nix: secretsDir/derived/<host>/<file>, three levels), the identities, and the live link
        List<Watch> w = new ArrayList<>();
        w.add(Watch.tree(paths.resolve(settings.secretsDir()), 3));
        settings.identities().forEach(id -> w.add(Watch.file(paths.resolve(id))));
        w.add(Watch.file(paths.resolve(settings.target())));
        this.watches = List.copyOf(w);
    }

    /** A new bundle (agenix or nixos-rebuild swapping the secrets dir), a new host key, a removed live link. */
    @Override
    public List<Watch> watches() {
        return watches;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws IOException, InterruptedException {
        BundleRead read = source.read();
        return switch (read) {
            case NotReady nr -> notReady(nr);
            case Verified v -> {
                try {
                    yield publish(v, context.forced());
                } finally {
                    v.wipe();
                }
            }
        };
    }

    private Outcome notReady(NotReady nr) throws IOException {
        nr.certs().forEach(c -> metrics.valid(c.cert(), c.ok()));
        long live = switcher.live().map(GenerationSwitcher.Live::generation).orElse(0L);
        List<CertState> liveSet = liveSet();
        if (live == 0) {
            // nothing live: the candidate's certs are all there is to watch (they expire whether or not a key opens)
            metrics.publish(nr.certs().stream().map(CertState::facts).filter(f -> f != null)
                    .map(f -> f.at(sourcePath(nr.certs(), f.cert()))).toList());
        } else {
            metrics.publish(facts(liveSet));
        }
        metrics.generation(live);
        String keeps = live > 0 ? "; generation " + live + " stays live" : "";
        Outcome o = nr.outcome();
        return new Outcome(o.state(), false, o.reason(), o.message() + keeps, checksOf(nr.certs()),
                rejected(details(live, liveSet, null), o.reason(), o.message(), nr.certs()));
    }

    /** The live set's states: those last published, or (after a restart) the live generation's certs read back. */
    private List<CertState> liveSet() throws IOException {
        Optional<GenerationSwitcher.Live> live = switcher.live();
        if (live.isEmpty()) {
            return List.of();
        }
        if (live.get().generation() == liveStatesGeneration) {
            return liveStates;
        }
        liveStates = LiveSet.read(live.get().dir(), settings.target());
        liveStatesGeneration = live.get().generation();
        return liveStates;
    }

    private String sourcePath(List<CertState> states, String cert) {
        return states.stream().filter(s -> s.cert().equals(cert)).map(s -> settings.secretsDir() + "/" + s.sourceFile())
                .findFirst().orElse(settings.secretsDir());
    }

    private static List<CertFacts> facts(List<CertState> states) {
        return states.stream().map(CertState::facts).filter(f -> f != null).toList();
    }

    /** {@code details} plus {@code rejected}: the candidate that did not go live, and why. */
    private static Map<String, Object> rejected(Map<String, Object> details, String reason, String message, List<CertState> certs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reason", reason);
        r.put("message", message);
        r.put("certs", certMaps(certs));
        details.put("rejected", r);
        return details;
    }

    private Outcome publish(Verified v, boolean forced) throws IOException, InterruptedException {
        List<CertState> states = v.states();
        states.forEach(c -> metrics.valid(c.cert(), c.ok()));
        List<Entry> entries = entries(v);
        Optional<MountTable.Mount> mount = mounts.mountOf(switcher.generationsDir().getParent());
        boolean inMemory = mount.map(MountTable.Mount::inMemory).orElse(true);
        metrics.inMemory(inMemory);
        List<String> warnings = new ArrayList<>(v.warnings());
        if (!inMemory) {
            warnings.add(settings.target() + " is on " + mount.get().fsType() + " (" + mount.get().mountPoint()
                    + "), not tmpfs/ramfs: decrypted keys are on a disk");
        }

        boolean changed = false;
        long generation;
        if (switcher.isLive(entries)) {
            generation = switcher.live().orElseThrow().generation();
            switcher.prune(); // crash leftovers only; nothing to do on a steady host
            if (forced && !failedHooks.isEmpty() && failedHooksGeneration == generation) {
                failedHooks = runHooks(failedHooks.stream().map(HookRunner.Run::hook).toList());
            }
        } else {
            long before = switcher.live().map(GenerationSwitcher.Live::generation).orElse(0L);
            try {
                generation = switcher.switchTo(entries);
            } catch (IOException e) {
                String keeps = before > 0 ? "generation " + before + " stays live" : "nothing is live yet";
                String why = "cannot write a new generation under " + settings.target() + ".gen: " + e.getMessage();
                return new Outcome(State.FAILED, false, "WriteFailed", why + "; " + keeps, checksOf(states),
                        rejected(details(before, liveSet(), inMemory), "WriteFailed", why, states));
            }
            changed = true;
            switcher.prune();
            metrics.switched();
            failedHooks = runHooks(settings.hooks());
            failedHooksGeneration = generation;
        }
        metrics.generation(generation);
        metrics.publish(facts(states));
        liveStates = states;
        liveStatesGeneration = generation;

        String summary = (changed ? "switched to generation " : "generation ") + generation + ": "
                + v.certs().size() + " certs in " + settings.target() + (changed ? "" : ", unchanged");
        Map<String, Object> details = details(generation, states, inMemory);
        if (!failedHooks.isEmpty()) {
            return new Outcome(State.FAILED, changed, "HookFailed", summary + "; "
                    + String.join("; ", failedHooks.stream().map(f -> "hook '" + f.hook().display() + "' " + f.problem()).toList())
                    + " (output in the log; `agentctl resync " + NAME + "` runs the failed hooks again)", checksOf(states), details);
        }
        String message = warnings.isEmpty() ? summary : summary + "; warnings: " + String.join("; ", warnings);
        String reason = changed ? "Reconciled" : warnings.isEmpty() ? "UpToDate" : "Warnings";
        return new Outcome(State.OK, changed, reason, message, checksOf(states), details);
    }

    /** Runs every hook in order (one failing does not stop the rest); returns the failed runs. */
    private List<HookRunner.Run> runHooks(List<Hook> list) throws InterruptedException {
        List<HookRunner.Run> failed = new ArrayList<>();
        for (Hook h : list) {
            HookRunner.Run run = hooks.run(NAME, h, List.of(settings.target()));
            if (!run.ok()) {
                failed.add(run);
            }
        }
        return List.copyOf(failed);
    }

    private List<Entry> entries(Verified v) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("ca.crt", v.caPem(), settings.defaults().certFileMode()));
        for (VerifiedCert c : v.certs()) {
            CertBundleSettings.Ownership own = settings.ownershipOf(c.name());
            out.add(new Entry(c.name() + ".crt", c.certPem(), own.certFileMode()));
            out.add(new Entry(c.name() + ".key", c.keyPem(), own.keyFileMode()));
        }
        return out;
    }

    private static List<Check> checksOf(List<CertState> states) {
        return states.stream().flatMap(s -> s.checks().stream()).toList();
    }

    /** Status details: the live generation, where it is, and each live cert's public facts and check results. */
    private Map<String, Object> details(long generation, List<CertState> states, Boolean inMemory) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("target", settings.target());
        d.put("generation", generation);
        if (inMemory != null) {
            d.put("targetInMemory", inMemory);
        }
        d.put("certs", certMaps(states));
        return d;
    }

    /** Per cert: its source file, public facts, result and every check. */
    private static List<Map<String, Object>> certMaps(List<CertState> states) {
        List<Map<String, Object>> certs = new ArrayList<>();
        for (CertState s : states) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cert", s.cert());
            c.put("source", s.sourceFile());
            if (s.facts() != null) {
                c.put("subjectCN", s.facts().subjectCN());
                c.put("notBefore", s.facts().notBefore().toString());
                c.put("notAfter", s.facts().notAfter().toString());
                c.put("serialNumber", s.facts().serialNumber());
            }
            c.put("result", s.ok() ? "ok" : "fail");
            c.put("checks", s.checks().stream().map(ch -> Map.of("check", ch.name(), "result", ch.result(),
                    "message", ch.message())).toList());
            certs.add(c);
        }
        return certs;
    }

    /** For tests: the stable target path on this host (under the host root). */
    Path targetPath() {
        return switcher.target();
    }
}
