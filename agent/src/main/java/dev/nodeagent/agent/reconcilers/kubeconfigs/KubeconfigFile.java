package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.FileMode;
import java.util.List;

/**
 * One kubeconfig to keep: where it goes ({@code path}, a host path), whom it authenticates ({@code user}, with the
 * bundle cert {@code cert}, i.e. {@code <certDir>/<cert>.crt} and {@code .key}), its context name, the API server
 * it talks to, whether cert data is embedded or referenced, its mode/owner, hooks run after it changed, and — for a
 * consumer that cannot see the cert dir, such as a kube-proxy DaemonSet — where copies of its certs go
 * ({@code copyCerts}, null when the bundle's own paths are referenced).
 */
public record KubeconfigFile(String name, String path, String user, String cert, String context, String server,
                             boolean embed, FileMode mode, List<Hook> onChange, CertCopy copyCerts) {

    /**
     * Copies of {@code ca.crt}, {@code <cert>.crt} and {@code <cert>.key} kept in {@code hostDir} (a directory a pod
     * mounts as a hostPath), referenced in the kubeconfig as {@code podDir} (where the pod sees that directory).
     * Referenced files, unlike embedded data, let client-go pick up a rotated client cert without a restart.
     */
    public record CertCopy(String hostDir, String podDir) {
    }

    public KubeconfigFile {
        onChange = List.copyOf(onChange);
    }

    public KubeconfigFile(String name, String path, String user, String cert, String context, String server,
                          boolean embed, FileMode mode, List<Hook> onChange) {
        this(name, path, user, cert, context, server, embed, mode, onChange, null);
    }
}
