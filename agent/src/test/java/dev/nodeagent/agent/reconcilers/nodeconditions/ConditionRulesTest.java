package dev.nodeagent.agent.reconcilers.nodeconditions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The derivation table: sources' status in, condition type → "status reason" out ("keep" = left as is). */
class ConditionRulesTest {

    static ReconcilerStatus st(String name, State state, String reason, String message, Check... checks) {
        return new ReconcilerStatus(name, state, reason, message, null, null, null, 0, 0, List.of(checks), Map.of());
    }

    static Arguments row(String name, List<ReconcilerStatus> sources, Map<String, String> expected) {
        return Arguments.of(name, sources, expected);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("no sources: nothing published", List.of(), Map.of()),
                row("a pending source keeps its conditions as they are",
                        List.of(st("cert-bundle", State.PENDING, "NotRunYet", "")),
                        Map.of("CertificatesExpiringSoon", "keep", "CertificateBundleInvalid", "keep")),
                row("a valid bundle",
                        List.of(st("cert-bundle", State.OK, "UpToDate", "ok")),
                        Map.of("CertificatesExpiringSoon", "False CertificatesValid",
                                "CertificateBundleInvalid", "False BundleValid")),
                row("a cert expiring soon is a warning on an ok bundle",
                        List.of(st("cert-bundle", State.OK, "Warnings", "ok",
                                Check.warnIfNot(false, "kubelet cert expiry", "kubelet.crt expires in 12 days"))),
                        Map.of("CertificatesExpiringSoon", "True CertificateExpiresSoon",
                                "CertificateBundleInvalid", "False BundleValid")),
                row("an expired cert fails the bundle",
                        List.of(st("cert-bundle", State.FAILED, "KubeletCertExpiryFailed", "expired",
                                Check.fail("kubelet cert expiry", "kubelet.crt expired 2 days ago"))),
                        Map.of("CertificatesExpiringSoon", "True CertificateExpired",
                                "CertificateBundleInvalid", "True KubeletCertExpiryFailed")),
                row("a bundle waiting for host keys: unknown",
                        List.of(st("cert-bundle", State.WAITING, "IdentityMissing", "no host key yet")),
                        Map.of("CertificatesExpiringSoon", "Unknown ExpiryNotChecked",
                                "CertificateBundleInvalid", "Unknown IdentityMissing")),
                row("kubeconfigs failing",
                        List.of(st("kubeconfigs", State.FAILED, "ServerNotInSans", "bad SANs")),
                        Map.of("KubeconfigProblem", "True ServerNotInSans",
                                "CertificatesExpiringSoon", "Unknown ExpiryNotChecked")),
                row("either CNI source failing is a CNI problem",
                        List.of(st("cni-config", State.OK, "UpToDate", "ok"),
                                st("cni-ipam-link", State.FAILED, "SymlinkFailed", "cannot link")),
                        Map.of("CNIConfigProblem", "True SymlinkFailed", "MTUMismatch", "False MtuWithinBudget")),
                row("a route check failing",
                        List.of(st("tailnet", State.FAILED, "ApiRouteFailed", "x",
                                Check.fail("api route", "100.64.0.1 routes via eth0, not tailscale0"),
                                Check.pass("tailscale0 MTU", "ok"))),
                        Map.of("TailnetRouteProblem", "True ApiRouteFailed", "MTUMismatch", "False MtuWithinBudget")),
                row("an MTU check failing is not a route problem",
                        List.of(st("tailnet", State.FAILED, "Tailscale0MTUFailed", "x",
                                Check.fail("tailscale0 MTU", "pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280"))),
                        Map.of("TailnetRouteProblem", "False TailnetRoutesOk", "MTUMismatch", "True Tailscale0MTUFailed")),
                row("a tailnet interface missing before any check: route problem, MTU unknown",
                        List.of(st("tailnet", State.FAILED, "InterfaceMissing", "tailscale0 not found")),
                        Map.of("TailnetRouteProblem", "True InterfaceMissing", "MTUMismatch", "Unknown MtuNotChecked")),
                row("prerequisite warnings are not problems, failures are",
                        List.of(st("node-prereqs", State.FAILED, "IpForwardFailed", "x",
                                new Check("swap off", Severity.WARNING, false, "swap on"),
                                Check.fail("ip_forward", "net.ipv4.ip_forward = 0"))),
                        Map.of("NodePrerequisitesProblem", "True IpForwardFailed")),
                row("a measured black hole is a path MTU problem with the probe's reason",
                        List.of(st("path-probe", State.FAILED, "PathMtuBlackHole", "x",
                                Check.fail("path MTU cp1", "path to cp1 silently drops packets above 1200 bytes"))),
                        Map.of("PathMTUProblem", "True PathMtuBlackHole")),
                row("an unreachable peer (a warning) is not a path MTU problem",
                        List.of(st("path-probe", State.OK, "Warnings", "x",
                                new Check("path MTU cp2", Severity.WARNING, false, "cp2 answered none of 3"))),
                        Map.of("PathMTUProblem", "False PathMtuOk")),
                row("no Tailscale on the node: unknown, not a problem",
                        List.of(st("tailscale-status", State.WAITING, "TailscaleAbsent", "not installed")),
                        Map.of("TailscaleProblem", "Unknown TailscaleAbsent")),
                row("an offline control-plane peer is a Tailscale problem",
                        List.of(st("tailscale-status", State.FAILED, "PeerOffline", "cp3 is offline")),
                        Map.of("TailscaleProblem", "True PeerOffline")),
                row("clock skew",
                        List.of(st("clock-skew", State.FAILED, "ClockSkew", "2m0s behind")),
                        Map.of("ClockSkew", "True ClockSkew")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void derivesConditionsFromSourceStatus(String name, List<ReconcilerStatus> sources, Map<String, String> expected) {
        Map<String, ReconcilerStatus> byName = sources.stream()
                .collect(Collectors.toMap(ReconcilerStatus::name, Function.identity()));
        ConditionRules.Derived d = ConditionRules.derive(n -> Optional.ofNullable(byName.get(n)));
        Map<String, String> actual = new TreeMap<>();
        d.publish().forEach((type, c) -> actual.put(type, c.status() + " " + c.reason()));
        d.keep().forEach(type -> actual.put(type, "keep"));
        assertEquals(new TreeMap<>(expected), actual);
        Set<String> owned = Arrays.stream(ConditionType.values()).map(ConditionType::type).collect(Collectors.toSet());
        assertEquals(true, owned.containsAll(actual.keySet()), "only owned types");
    }
}
