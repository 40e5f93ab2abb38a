package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import java.time.InstantSource;
import java.util.List;

/** Reads the bundle with the bundle library (placeholder until the bundle library lands on this branch). */
final class LibraryBundleSource implements CertBundleReconciler.BundleSource {

    LibraryBundleSource(CertBundleSettings settings, String nodeName, HostPaths paths, InstantSource clock) {
    }

    @Override
    public BundleRead read() {
        return new BundleRead.NotReady(Outcome.waiting("NotImplemented", "the bundle library is not merged yet"), List.of());
    }
}
