package dev.nodeagent.agent.reconcilers.nodeconditions;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The condition types the agent owns on its Node, all problem-polarity like node-problem-detector's: {@code False}
 * is healthy, {@code True} is a problem, {@code Unknown} means the source could not tell (it is waiting). Only these
 * types are ever written or removed; every other condition on the Node (the kubelet's {@code Ready}, NPD's …) is
 * left alone. Renaming one is a breaking change: the old name would no longer be cleaned up.
 */
public enum ConditionType {
    CERTIFICATES_EXPIRING_SOON("CertificatesExpiringSoon"),
    CERTIFICATE_BUNDLE_INVALID("CertificateBundleInvalid"),
    KUBECONFIG_PROBLEM("KubeconfigProblem"),
    CNI_CONFIG_PROBLEM("CNIConfigProblem"),
    TAILNET_ROUTE_PROBLEM("TailnetRouteProblem"),
    MTU_MISMATCH("MTUMismatch"),
    PATH_MTU_PROBLEM("PathMTUProblem"),
    TAILSCALE_PROBLEM("TailscaleProblem"),
    CLOCK_SKEW("ClockSkew"),
    NODE_PREREQUISITES_PROBLEM("NodePrerequisitesProblem");

    private final String type;

    ConditionType(String type) {
        this.type = type;
    }

    /** The Kubernetes condition type string. */
    public String type() {
        return type;
    }

    public static final Set<String> OWNED = Arrays.stream(values()).map(ConditionType::type)
            .collect(Collectors.toUnmodifiableSet());

    public static List<String> ownedInOrder() {
        return Arrays.stream(values()).map(ConditionType::type).toList();
    }
}
