package dev.nodeagent.ctl;

import dev.nodeagent.kube.Kubeconfigs;
import dev.nodeagent.manifests.ApplyStrategy;
import dev.nodeagent.manifests.ClusterApplier;
import dev.nodeagent.manifests.ClusterApplier.Action;
import dev.nodeagent.manifests.ClusterApplier.Item;
import dev.nodeagent.manifests.ManifestLoader;
import dev.nodeagent.manifests.ManifestProblem;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentctl diff --kubeconfig K DIR…}: what {@code bootstrap-manifests} would change, computed offline (no
 * daemon) with the same loader and comparison, reading the cluster and writing nothing. Exit 0 in sync, 1 when
 * something would change or a document has a problem (like {@code kubectl diff}), 2 usage.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Show what bootstrap-manifests would change in the cluster (reads only).",
                "Exit status: 0 in sync, 1 changes or problems found, 2 usage."})
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
            description = "Kubeconfig of a user that may read the objects (e.g. /etc/kubernetes/admin.kubeconfig).")
    Path kubeconfig;

    @Option(names = "--var", paramLabel = "NAME=VALUE",
            description = "A $${NAME} substitution, as reconcilers.bootstrapManifests.variables (e.g. CALICO_MTU=1230).")
    List<String> vars = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Also list unchanged objects.")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Manifest directories.")
    List<Path> dirs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> variables = new LinkedHashMap<>();
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                err.println("agentctl diff: --var must be NAME=VALUE, not '" + v + "'");
                return AgentCtl.USAGE;
            }
            variables.put(v.substring(0, eq), v.substring(eq + 1));
        }
        ManifestLoader.Result loaded = ManifestLoader.load(dirs, dirs.stream().map(Path::toString).toList(),
                variables);
        Kubeconfigs.Result r;
        try {
            r = Kubeconfigs.load(kubeconfig, kubeconfig.toString(), p -> p, Duration.ofSeconds(10), null);
        } catch (IllegalArgumentException e) {
            err.println("agentctl diff: " + e.getMessage());
            return AgentCtl.FAILED;
        }
        if (r instanceof Kubeconfigs.Missing m) {
            err.println("agentctl diff: " + m.what() + " does not exist");
            return AgentCtl.FAILED;
        }
        ClusterApplier.Report report;
        try (KubernetesClient client = Kubeconfigs.client(((Kubeconfigs.Loaded) r).config())) {
            report = new ClusterApplier(client, ApplyStrategy.SERVER_SIDE_APPLY).plan(loaded.manifests());
        }
        for (ManifestProblem p : loaded.problems()) {
            out.println("! " + p);
        }
        for (Item i : report.items()) {
            switch (i.action()) {
                case CREATE -> out.println("+ " + i.ref() + "  (" + i.origin() + ")");
                case UPDATE -> {
                    out.println("~ " + i.ref() + "  (" + i.origin() + ")");
                    i.detail().forEach(d -> out.println("    " + d));
                }
                case FAILED -> out.println("! " + i.ref() + "  (" + i.origin() + "): " + String.join("; ", i.detail()));
                default -> {
                    if (verbose) {
                        out.println("= " + i.ref() + "  (" + i.origin() + ")");
                    }
                }
            }
        }
        long changes = report.count(Action.CREATE) + report.count(Action.UPDATE);
        long problems = loaded.problems().size() + report.count(Action.FAILED);
        out.println(changes + " to create or update, " + report.count(Action.UNCHANGED) + " unchanged, " + problems
                + " problem(s)");
        return changes == 0 && problems == 0 ? AgentCtl.OK : AgentCtl.FAILED;
    }
}
