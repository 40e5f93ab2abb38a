package dev.nodeagent.agent.kube;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.kube.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;

/**
 * One reconciler's API client, created on first use and rebuilt when the kubeconfig or a file it references
 * changes (the kubeconfigs reconciler rewrites it; cert-bundle rotates the client certificate under the same path).
 * Until the kubeconfig and its files exist, {@link #access()} says {@code waiting}. Not thread-safe: one reconciler
 * loop owns it.
 */
public final class KubeSession implements AutoCloseable {

    private final String kubeconfig;
    private final HostPaths paths;
    private final Duration timeout;
    private KubernetesClient client;
    private String fingerprint;
    private String server;

    public KubeSession(String kubeconfig, HostPaths paths, Duration timeout) {
        this.kubeconfig = kubeconfig;
        this.paths = paths;
        this.timeout = timeout;
    }

    /**
     * Either a usable client ({@code waiting == null}; {@code rebuilt} when it is new, so cached API state must be
     * dropped) or the outcome to return (waiting for files, or failed on an unreadable kubeconfig).
     */
    public record Access(KubernetesClient client, String server, boolean rebuilt, Outcome waiting) {
    }

    public Access access() throws IOException {
        Kubeconfigs.Result r;
        try {
            r = Kubeconfigs.load(paths.resolve(kubeconfig), kubeconfig, p -> paths.resolve(p.toString()), timeout,
                    client == null ? null : fingerprint);
        } catch (IllegalArgumentException e) {
            close();
            return new Access(null, null, false, Outcome.failed("KubeconfigInvalid", e.getMessage()));
        }
        if (r instanceof Kubeconfigs.Missing m) {
            close();
            return new Access(null, null, false, Outcome.waiting("KubeconfigMissing", m.what() + " does not exist yet"));
        }
        if (r instanceof Kubeconfigs.Loaded loaded) {
            close();
            client = Kubeconfigs.client(loaded.config());
            fingerprint = loaded.fingerprint();
            server = loaded.server();
            return new Access(client, server, true, null);
        }
        return new Access(client, server, false, null);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
            fingerprint = null;
        }
    }
}
