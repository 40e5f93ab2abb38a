package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/** A kubeconfigs reconciler on a temp host root, built from YAML through the real config loader. */
final class KubeconfigsFixture implements AutoCloseable {

    final Path root;
    final Path certDir;
    final AgentMetrics metrics = new AgentMetrics("test", List.of(KubeconfigsReconciler.NAME));
    final KubeconfigsReconciler reconciler;

    KubeconfigsFixture(Path root, String role, String section) throws ConfigException {
        this.root = root;
        this.certDir = root.resolve("run/node-agent/certs");
        KubeconfigsReconciler.Settings settings = settings(role, section);
        this.reconciler = new KubeconfigsReconciler(settings, new HostPaths(root), new AtomicWriter(),
                new HookRunner(new CommandRunner()), metrics, InstantSource.system());
    }

    static KubeconfigsReconciler.Settings settings(String role, String section) throws ConfigException {
        String yaml = "node:\n  name: n1\n  role: " + role + "\nreconcilers:\n  kubeconfigs:\n"
                + section.indent(4);
        AgentConfig cfg = new ConfigLoader(Reconcilers.configSections(), "n1").parse(yaml, "agent.yaml");
        return cfg.settings("kubeconfigs", KubeconfigsReconciler.Settings.class);
    }

    Outcome pass() throws Exception {
        return reconciler.reconcile(new ReconcileContext(Instant.now(), false, 0));
    }

    Path host(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    String read(String absolute) throws Exception {
        return Files.readString(host(absolute));
    }

    double drift(String path) {
        var c = metrics.registry().find("node_agent_drift_corrected").tags("reconciler", KubeconfigsReconciler.NAME,
                "path", path).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        metrics.close();
    }
}
