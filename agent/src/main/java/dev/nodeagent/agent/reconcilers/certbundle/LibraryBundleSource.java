package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Identities;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.CertState;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.NotReady;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.Verified;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.VerifiedCert;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.bundle.BundleEntry;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.BundleLayout;
import dev.nodeagent.bundle.BundleLoader;
import dev.nodeagent.bundle.BundleValidator;
import dev.nodeagent.bundle.CertCheck;
import dev.nodeagent.bundle.CertInfo;
import dev.nodeagent.bundle.LoadedBundle;
import dev.nodeagent.bundle.LoadedCert;
import dev.nodeagent.bundle.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this host's bundle with the bundle library: locate → decrypt every key in memory with the host's SSH
 * identities → validate for this node → a {@link Verified} set, or a {@link NotReady} whose message names the
 * file and the check. Missing identity files or bundle dir mean {@code waiting} (host keys or secrets not
 * mounted yet at boot), not failure. Messages name files, tags and checks, never key bytes.
 */
final class LibraryBundleSource implements CertBundleReconciler.BundleSource {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryBundleSource.class);
    /** Layout problems that mean "not there yet" rather than "broken". */
    private static final Set<String> WAITING_REASONS = Set.of("BundleDirMissing", "HostMissing");

    private final CertBundleSettings settings;
    private final String nodeName;
    private final HostPaths paths;
    private final InstantSource clock;
    private final Set<String> warnedMissing = new java.util.HashSet<>();

    LibraryBundleSource(CertBundleSettings settings, String nodeName, HostPaths paths, InstantSource clock) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.paths = paths;
        this.clock = clock;
    }

    @Override
    public BundleRead read() {
        List<AgeIdentity> identities = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : settings.identities()) {
            Path file = paths.resolve(id);
            if (!Files.exists(file)) {
                missing.add(id);
                continue;
            }
            try {
                identities.addAll(Identities.load(file));
            } catch (AgeException e) {
                return notReady(Outcome.failed("IdentityInvalid", e.getMessage()));
            }
        }
        warnMissingOnce(missing);
        if (identities.isEmpty()) {
            return notReady(Outcome.waiting("IdentityMissing", "no identity file present yet ("
                    + String.join(", ", settings.identities()) + ")"));
        }
        Path secrets = pinned(paths.resolve(settings.secretsDir()));
        BundleLayout layout;
        LoadedBundle bundle;
        try {
            layout = BundleLayout.locate(secrets, settings.host(), settings.ca());
        } catch (BundleException e) {
            String message = hostRelative(e.getMessage());
            return notReady(WAITING_REASONS.contains(e.reason()) ? Outcome.waiting(e.reason(), message)
                    : Outcome.failed(e.reason(), message));
        }
        try {
            bundle = BundleLoader.load(layout, identities);
        } catch (BundleException e) {
            // a key that does not open hides nothing public: the certs' dates and checks still go to status/metrics
            return new NotReady(Outcome.failed(e.reason(), hostRelative(e.getMessage())), publicStates(secrets, layout, identities));
        }
        try {
            return verify(secrets, layout, bundle);
        } finally {
            bundle.wipe();
        }
    }

    /**
     * The secrets dir with its symlinks resolved once per pass: when it is deployed by swapping a symlink (as
     * agenix does), every file of this read comes from the same deployment, never half from the next one.
     */
    private static Path pinned(Path secrets) {
        try {
            return secrets.toRealPath();
        } catch (java.io.IOException e) {
            return secrets; // absent: locate() says so
        }
    }

    /**
     * Every keyless check of the bundle's certs, for a bundle with a key that could not be opened: each cert whose
     * key does not open gets a failed {@code key-decrypt} check. Empty if the certs are unreadable too.
     */
    private List<CertState> publicStates(Path secrets, BundleLayout layout, List<AgeIdentity> identities) {
        Map<String, BundleException> failed = new java.util.HashMap<>();
        List<CertState> states;
        try {
            BundleLoader.Partial partial = BundleLoader.loadEach(layout, identities);
            partial.bundle().wipe(); // only which keys open matters here
            for (BundleException e : partial.keyErrors()) {
                layout.entries().stream().filter(en -> en.keyFile().toString().equals(e.file())).findFirst()
                        .ifPresent(en -> failed.put(en.cert(), e));
            }
            LoadedBundle certs = BundleLoader.loadPublic(layout);
            states = states(secrets, layout, certs, BundleValidator.validate(certs, nodeName, clock.instant()));
        } catch (BundleException e) {
            return List.of();
        }
        return states.stream().map(st -> {
            BundleException e = failed.get(st.cert());
            if (e == null) {
                return st;
            }
            List<Check> checks = new ArrayList<>();
            checks.add(new Check(st.cert() + ": key-decrypt", Severity.FAILURE, false, e.reason() + ": " + hostRelative(e.getMessage())));
            checks.addAll(st.checks());
            return new CertState(st.cert(), st.sourceFile(), st.facts(), checks);
        }).toList();
    }

    private BundleRead verify(Path secrets, BundleLayout layout, LoadedBundle bundle) {
        ValidationReport report = BundleValidator.validate(bundle, nodeName, clock.instant());
        List<CertState> states = states(secrets, layout, bundle, report);
        if (!report.ok()) {
            Map<String, String> sources = sources(secrets, layout);
            CertCheck first = report.failures().getFirst();
            String more = report.failures().size() > 1 ? " (+" + (report.failures().size() - 1) + " more)" : "";
            String message = sources.getOrDefault(first.cert(), first.cert()) + ": check " + first.check()
                    + " failed: " + first.message() + more;
            return new NotReady(Outcome.failed(reason(first.check()), message), states);
        }
        Map<String, String> sources = sources(secrets, layout);
        List<String> warnings = report.warnings().stream()
                .map(w -> sources.getOrDefault(w.cert(), w.cert()) + ": " + w.message()).toList();
        List<VerifiedCert> certs = new ArrayList<>();
        for (int i = 0; i < bundle.certs().size(); i++) {
            LoadedCert c = bundle.certs().get(i);
            // Copies: the loaded bundle is wiped when this read returns; the Verified set is wiped after publishing.
            certs.add(new VerifiedCert(c.cert(), c.certPem().clone(), c.keyPem().clone(), states.get(i + 1)));
        }
        return new Verified(bundle.caPem().clone(), states.getFirst(), certs, warnings);
    }

    private static Map<String, String> sources(Path secrets, BundleLayout layout) {
        Map<String, String> sources = new java.util.HashMap<>();
        sources.put("ca", rel(secrets, layout.caCert()));
        for (BundleEntry e : layout.entries()) {
            sources.put(e.cert(), rel(secrets, e.certFile()));
        }
        return sources;
    }

    /** The CA first, then each cert: source file, public facts, checks. */
    private List<CertState> states(Path secrets, BundleLayout layout, LoadedBundle bundle, ValidationReport report) {
        Map<String, CertInfo> infos = report.certs().stream()
                .collect(Collectors.toMap(CertInfo::cert, Function.identity(), (a, b) -> a));
        Map<String, String> sources = sources(secrets, layout);
        List<CertState> states = new ArrayList<>();
        states.add(state("ca", sources.get("ca"), infos.get("ca"), report));
        for (LoadedCert c : bundle.certs()) {
            states.add(state(c.cert(), sources.get(c.cert()), infos.get(c.cert()), report));
        }
        return states;
    }

    private CertState state(String cert, String source, CertInfo info, ValidationReport report) {
        List<Check> checks = report.checks().stream().filter(c -> c.cert().equals(cert))
                .map(c -> new Check(cert + ": " + c.check(), c.ok() && c.warning() ? Severity.WARNING : Severity.FAILURE,
                        c.ok() && !c.warning(), c.message()))
                .toList();
        CertFacts facts = info == null || info.notAfter() == null ? null
                : new CertFacts(cert, settings.target() + "/" + cert + ".crt", info.subjectCN(), info.subjectO(),
                        info.issuerCN(), info.serialNumber(), info.notBefore(), info.notAfter());
        return new CertState(cert, source, facts, checks);
    }

    private void warnMissingOnce(List<String> missing) {
        for (String m : missing) {
            if (warnedMissing.add(m)) {
                LOG.warn("cert-bundle: identity file {} does not exist; skipped", m);
            }
        }
        warnedMissing.retainAll(missing);
    }

    private static NotReady notReady(Outcome o) {
        return new NotReady(o, List.of());
    }

    /** Paths in messages as the operator knows them: relative to the secrets dir when inside it. */
    private static String rel(Path secrets, Path p) {
        return p.startsWith(secrets) ? secrets.relativize(p).toString() : p.toString();
    }

    /** Strips the host root from paths in library messages, so they read as on the host. */
    private String hostRelative(String message) {
        String root = paths.root().toString();
        return paths.isRealRoot() || message == null ? message : message.replace(root + "/", "/");
    }

    /** {@code key-matches-cert} → {@code KeyMatchesCertFailed}. */
    static String reason(String check) {
        StringBuilder sb = new StringBuilder();
        for (String part : check.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Failed").toString();
    }
}
