package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.FileMode;
import java.util.List;

/**
 * One kubeconfig to keep: where it goes ({@code path}, a host path), whom it authenticates ({@code user}, with the
 * bundle cert {@code cert}, i.e. {@code <certDir>/<cert>.crt} and {@code .key}), its context name, the API server
 * it talks to, whether cert data is embedded or referenced, its mode/owner, and hooks run after it changed.
 */
public record KubeconfigFile(String name, String path, String user, String cert, String context, String server,
                             boolean embed, FileMode mode, List<Hook> onChange) {

    public KubeconfigFile {
        onChange = List.copyOf(onChange);
    }
}
