package dev.nodeagent.agent.reconcilers.nodeconditions;

import static dev.nodeagent.agent.reconcilers.nodeconditions.DesiredCondition.FALSE;
import static dev.nodeagent.agent.reconcilers.nodeconditions.DesiredCondition.TRUE;
import static dev.nodeagent.agent.reconcilers.nodeconditions.DesiredCondition.UNKNOWN;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Derives the owned conditions from the other reconcilers' status; pure, read-only. Per type, one of three results:
 * <ul>
 *   <li>published — its source reconcilers are present (enabled) and at least one has run;</li>
 *   <li>kept — its sources are present but none has run yet (after an agent restart): whatever the Node shows is
 *       left as it is, so a restart does not flap conditions;</li>
 *   <li>absent — no source is present (disabled, or not part of this build): the type is not published and is
 *       removed from the Node if it is there.</li>
 * </ul>
 * Sources: {@code cert-bundle} (state; checks whose name mentions "expir"), {@code kubeconfigs} (state; its expiry
 * checks also feed CertificatesExpiringSoon), {@code cni-config} and {@code cni-ipam-link} (state), {@code tailnet}
 * (checks; those whose name mentions "mtu" go to MTUMismatch, the rest to TailnetRouteProblem), {@code node-prereqs}
 * (FAILURE checks; warnings are not problems), {@code path-probe} (state; its reason, e.g. PathMtuBlackHole), {@code tailscale-status} (state;
 * a relayed peer or a key expiring soon is a warning, not a problem), {@code clock-skew} (state).
 */
public final class ConditionRules {

    static final String CERT_BUNDLE = "cert-bundle";
    static final String KUBECONFIGS = "kubeconfigs";
    static final String CNI_CONFIG = "cni-config";
    static final String CNI_IPAM_LINK = "cni-ipam-link";
    static final String TAILNET = "tailnet";
    static final String NODE_PREREQS = "node-prereqs";
    static final String PATH_PROBE = "path-probe";
    static final String TAILSCALE_STATUS = "tailscale-status";
    static final String CLOCK_SKEW = "clock-skew";

    /** The result of one derivation; types in neither set are absent. */
    public record Derived(Map<String, DesiredCondition> publish, Set<String> keep) {
    }

    private final Function<String, Optional<ReconcilerStatus>> status;
    private final Map<String, DesiredCondition> publish = new LinkedHashMap<>();
    private final Set<String> keep = new LinkedHashSet<>();

    private ConditionRules(Function<String, Optional<ReconcilerStatus>> status) {
        this.status = status;
    }

    public static Derived derive(Function<String, Optional<ReconcilerStatus>> status) {
        ConditionRules r = new ConditionRules(status);
        r.certificatesExpiringSoon();
        r.single(ConditionType.CERTIFICATE_BUNDLE_INVALID, CERT_BUNDLE, "BundleValid",
                "The certificate bundle is valid and installed.");
        r.single(ConditionType.KUBECONFIG_PROBLEM, KUBECONFIGS, "KubeconfigsValid",
                "The kubeconfigs are written and consistent with the certificates.");
        r.cni();
        r.tailnetRoute();
        r.mtu();
        r.pathMtu();
        r.single(ConditionType.TAILSCALE_PROBLEM, TAILSCALE_STATUS, "TailscaleRunning",
                "tailscaled is running, its key is valid and control-plane peers are online.");
        r.single(ConditionType.CLOCK_SKEW, CLOCK_SKEW, "ClockInSync", "The local clock agrees with the API server's.");
        r.prerequisites();
        return new Derived(Map.copyOf(r.publish), Set.copyOf(r.keep));
    }

    private void certificatesExpiringSoon() {
        String type = ConditionType.CERTIFICATES_EXPIRING_SOON.type();
        List<ReconcilerStatus> sources = present(CERT_BUNDLE, KUBECONFIGS);
        if (decided(type, sources)) {
            return;
        }
        Predicate<Check> expiry = c -> lower(c.name()).contains("expir");
        List<Check> failing = failingChecks(sources, expiry, true);
        if (!failing.isEmpty()) {
            boolean expired = failing.stream().anyMatch(c -> c.severity() == Severity.FAILURE);
            put(type, TRUE, expired ? "CertificateExpired" : "CertificateExpiresSoon", summary(failing));
            return;
        }
        Optional<ReconcilerStatus> bundle = status.apply(CERT_BUNDLE);
        boolean anyOk = sources.stream().anyMatch(s -> s.state() == State.OK);
        if (anyOk || sources.stream().anyMatch(s -> s.checks().stream().anyMatch(expiry))) {
            put(type, FALSE, "CertificatesValid", "No certificate expires within the warning window.");
        } else {
            ReconcilerStatus s = bundle.filter(b -> b.state() != State.PENDING).orElse(sources.getFirst());
            put(type, UNKNOWN, "ExpiryNotChecked", "Certificate expiry could not be checked: " + s.message());
        }
    }

    /** A condition that mirrors one reconciler's state. */
    private void single(ConditionType ct, String source, String okReason, String okMessage) {
        List<ReconcilerStatus> sources = present(source);
        if (decided(ct.type(), sources)) {
            return;
        }
        fromStates(ct.type(), sources, okReason, okMessage);
    }

    private void cni() {
        List<ReconcilerStatus> sources = present(CNI_CONFIG, CNI_IPAM_LINK);
        if (decided(ConditionType.CNI_CONFIG_PROBLEM.type(), sources)) {
            return;
        }
        fromStates(ConditionType.CNI_CONFIG_PROBLEM.type(), sources, "CniConfigured",
                "The CNI configuration and plugin links are in place.");
    }

    private void tailnetRoute() {
        String type = ConditionType.TAILNET_ROUTE_PROBLEM.type();
        List<ReconcilerStatus> sources = present(TAILNET);
        if (decided(type, sources)) {
            return;
        }
        ReconcilerStatus t = sources.getFirst();
        List<Check> failing = failingChecks(sources, c -> !isMtu(c), false);
        if (!failing.isEmpty()) {
            put(type, TRUE, Outcome.reasonOf(failing.getFirst().name()), summary(failing));
        } else if (t.state() == State.FAILED && failingChecks(sources, ConditionRules::isMtu, true).isEmpty()) {
            put(type, TRUE, t.reason(), t.message()); // failed before its checks could run
        } else if (t.state() == State.WAITING) {
            put(type, UNKNOWN, t.reason(), t.message());
        } else {
            put(type, FALSE, "TailnetRoutesOk", "Cross-site traffic routes via the tailnet interface as expected.");
        }
    }

    private void mtu() {
        String type = ConditionType.MTU_MISMATCH.type();
        List<ReconcilerStatus> sources = present(TAILNET, CNI_CONFIG);
        if (decided(type, sources)) {
            return;
        }
        List<Check> failing = failingChecks(sources, ConditionRules::isMtu, true);
        if (!failing.isEmpty()) {
            put(type, TRUE, Outcome.reasonOf(failing.getFirst().name()), summary(failing));
        } else if (sources.stream().anyMatch(s -> s.state() == State.OK
                || s.checks().stream().anyMatch(ConditionRules::isMtu))) {
            put(type, FALSE, "MtuWithinBudget", "The pod MTU plus encapsulation fits the tailnet interface MTU.");
        } else {
            ReconcilerStatus s = sources.stream().filter(x -> x.state() != State.PENDING).findFirst().orElseThrow();
            put(type, UNKNOWN, "MtuNotChecked", "The MTU budget could not be checked: " + s.message());
        }
    }

    /** Measured, not configured: a path that carries less than the pod network sends (black hole or too small). */
    private void pathMtu() {
        String type = ConditionType.PATH_MTU_PROBLEM.type();
        List<ReconcilerStatus> sources = present(PATH_PROBE);
        if (decided(type, sources)) {
            return;
        }
        ReconcilerStatus p = sources.getFirst();
        List<Check> failing = failingChecks(sources, c -> true, false);
        if (p.state() == State.FAILED) {
            put(type, TRUE, p.reason(), failing.isEmpty() ? p.message() : summary(failing));
        } else if (p.state() == State.WAITING) {
            put(type, UNKNOWN, p.reason(), p.message());
        } else {
            put(type, FALSE, "PathMtuOk", "Every probed path carries the pod MTU plus encapsulation.");
        }
    }

    private void prerequisites() {
        String type = ConditionType.NODE_PREREQUISITES_PROBLEM.type();
        List<ReconcilerStatus> sources = present(NODE_PREREQS);
        if (decided(type, sources)) {
            return;
        }
        ReconcilerStatus p = sources.getFirst();
        List<Check> failing = failingChecks(sources, c -> true, false);
        long warnings = p.checks().stream().filter(c -> !c.ok() && c.severity() == Severity.WARNING).count();
        if (!failing.isEmpty()) {
            put(type, TRUE, Outcome.reasonOf(failing.getFirst().name()), summary(failing));
        } else if (p.state() == State.FAILED) {
            put(type, TRUE, p.reason(), p.message());
        } else if (p.state() == State.WAITING) {
            put(type, UNKNOWN, p.reason(), p.message());
        } else {
            put(type, FALSE, "PrerequisitesMet", warnings == 0 ? "Every node prerequisite holds."
                    : "Every required node prerequisite holds (" + warnings + " warning(s), see agentctl status).");
        }
    }

    /** Failed wins over waiting wins over ok; the first source in that state gives reason and message. */
    private void fromStates(String type, List<ReconcilerStatus> sources, String okReason, String okMessage) {
        Optional<ReconcilerStatus> failed = sources.stream().filter(s -> s.state() == State.FAILED).findFirst();
        Optional<ReconcilerStatus> waiting = sources.stream().filter(s -> s.state() == State.WAITING).findFirst();
        if (failed.isPresent()) {
            put(type, TRUE, failed.get().reason(), failed.get().name() + ": " + failed.get().message());
        } else if (waiting.isPresent()) {
            put(type, UNKNOWN, waiting.get().reason(), waiting.get().name() + ": " + waiting.get().message());
        } else {
            put(type, FALSE, okReason, okMessage);
        }
    }

    /** Handles absent sources (not published) and sources that have not run yet (kept); true when it did. */
    private boolean decided(String type, List<ReconcilerStatus> sources) {
        if (sources.isEmpty()) {
            return true;
        }
        if (sources.stream().allMatch(s -> s.state() == State.PENDING)) {
            keep.add(type);
            return true;
        }
        return false;
    }

    private List<ReconcilerStatus> present(String... names) {
        List<ReconcilerStatus> out = new ArrayList<>();
        for (String n : names) {
            status.apply(n).ifPresent(out::add);
        }
        return out;
    }

    private static List<Check> failingChecks(List<ReconcilerStatus> sources, Predicate<Check> which,
                                             boolean warningsToo) {
        return sources.stream().filter(s -> s.state() != State.PENDING).flatMap(s -> s.checks().stream())
                .filter(c -> !c.ok() && (warningsToo || c.severity() == Severity.FAILURE)).filter(which).toList();
    }

    private void put(String type, String status, String reason, String message) {
        publish.put(type, new DesiredCondition(type, status, reason, message));
    }

    private static boolean isMtu(Check c) {
        return lower(c.name()).contains("mtu");
    }

    private static String summary(List<Check> failing) {
        String first = failing.getFirst().message().isBlank() ? failing.getFirst().name() : failing.getFirst().message();
        return failing.size() == 1 ? first : first + " (+" + (failing.size() - 1) + " more)";
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
