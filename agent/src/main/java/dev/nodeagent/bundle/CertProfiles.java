package dev.nodeagent.bundle;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The certs each role gets and the subjects Kubernetes (RBAC, the Node authorizer) expects for them. Workers get
 * {@link #WORKER}; a control plane gets those plus {@link #CONTROL_PLANE_ONLY}.
 */
public final class CertProfiles {

    public static final String KUBELET = "kubelet";
    public static final String SERVICE_ACCOUNT = BundleLayout.SERVICE_ACCOUNT;

    private static final List<String> NONE = List.of();

    public static final List<CertProfile> WORKER = List.of(
            new CertProfile(KUBELET, "system:node:<host>", List.of("system:nodes"), true, true, false),
            new CertProfile("calico-cni", "calico-cni", NONE, false, true, false),
            new CertProfile("kube-proxy", "system:kube-proxy", List.of("system:node-proxier"), false, true, false));

    public static final List<CertProfile> CONTROL_PLANE_ONLY = List.of(
            new CertProfile("etcd-server", "etcd-server", NONE, true, true, false),
            new CertProfile("etcd-peer", "etcd-peer", NONE, true, true, false),
            new CertProfile("etcd-client", "etcd-client", NONE, false, true, false),
            new CertProfile("kube-apiserver", "kube-apiserver", NONE, true, false, false),
            // No O=system:masters: that group is cluster-admin past RBAC and cannot be revoked. The apiserver's
            // kubelet client needs the kubelet API only, which RBAC grants by binding system:kubelet-api-admin to
            // the user kube-apiserver-kubelet-client (k8nix does; kubeadm >= 1.29 moved off system:masters too).
            // So no organisation is issued or expected, and the subject check cannot warn about one.
            new CertProfile("kube-apiserver-kubelet-client", "kube-apiserver-kubelet-client", NONE, false, true, false),
            new CertProfile("kube-apiserver-etcd-client", "kube-apiserver-etcd-client", NONE, false, true, false),
            new CertProfile("kube-controller-manager", "system:kube-controller-manager", NONE, false, true, false),
            new CertProfile("kube-scheduler", "system:kube-scheduler", NONE, false, true, false),
            new CertProfile("kube-admin", "kubernetes-admin", List.of("system:masters"), false, true, false),
            new CertProfile(SERVICE_ACCOUNT, "service-accounts", NONE, false, false, true));

    private static final Map<String, CertProfile> BY_NAME = Stream.concat(WORKER.stream(), CONTROL_PLANE_ONLY.stream())
            .collect(Collectors.toUnmodifiableMap(CertProfile::cert, Function.identity()));

    private CertProfiles() {
    }

    /** The profiles for a host: {@code controlPlane} adds the control-plane certs to the worker ones. */
    public static List<CertProfile> forRole(boolean controlPlane) {
        return controlPlane ? Stream.concat(WORKER.stream(), CONTROL_PLANE_ONLY.stream()).toList() : WORKER;
    }

    /** The profile of a known cert name; empty for names we do not know (validated generically). */
    public static Optional<CertProfile> byName(String cert) {
        return Optional.ofNullable(BY_NAME.get(cert));
    }
}
