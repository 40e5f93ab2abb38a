package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.config.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubeconfigs a node needs by role, with the paths and users the hand-assembled clusters we replace use
 * (Kubernetes-the-hard-way and NixOS layouts; users as the API server's Node and RBAC authorizers expect them).
 */
final class KubeconfigDefaults {

    /** A default entry: config may override each field, or drop it with {@code enabled: false}. */
    record Default(String name, String path, String user, String cert) {
    }

    private KubeconfigDefaults() {
    }

    static List<Default> forRole(Role role, String nodeName, String cniNetDir) {
        List<Default> out = new ArrayList<>(List.of(
                // The Node authorizer only accepts the kubelet as system:node:<node name>, group system:nodes.
                new Default("kubelet", "/var/lib/kubelet/kubeconfig", "system:node:" + nodeName, "kubelet"),
                new Default("kube-proxy", "/var/lib/kube-proxy/kubeconfig", "system:kube-proxy", "kube-proxy"),
                // Calico's CNI plugin reads the kubeconfig named in the conflist (kubernetes.kubeconfig).
                new Default("calico-cni", cniNetDir + "/calico-kubeconfig", "calico-cni", "calico-cni")));
        if (role == Role.CONTROL_PLANE) {
            out.add(new Default("admin", "/etc/kubernetes/admin.kubeconfig", "admin", "kube-admin"));
            out.add(new Default("controller-manager", "/var/lib/kubernetes/kube-controller-manager.kubeconfig",
                    "system:kube-controller-manager", "kube-controller-manager"));
            out.add(new Default("scheduler", "/var/lib/kubernetes/kube-scheduler.kubeconfig",
                    "system:kube-scheduler", "kube-scheduler"));
        }
        return out;
    }
}
