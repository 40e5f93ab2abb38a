package dev.nodeagent.ctl;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Identities;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.BundleLayout;
import dev.nodeagent.bundle.BundleLoader;
import dev.nodeagent.bundle.BundleValidator;
import dev.nodeagent.bundle.CertCheck;
import dev.nodeagent.bundle.LoadedBundle;
import dev.nodeagent.bundle.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentctl bundle verify}: exactly the cert-bundle reconciler's read → decrypt → validate, offline, every
 * check printed. Exit 0 when the bundle would go live, 1 when it would not.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Decrypt HOST's bundle in memory with --identity and run the reconciler's checks; print each one. "
                + "Exit 1 if any fails.")
public final class BundleVerifyCommand implements Callable<Integer> {

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", required = true,
            description = "The host's private key (e.g. /etc/ssh/ssh_host_ed25519_key); repeatable.")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", required = true, description = "Whose bundle: derived/<NAME>/.")
    String host;

    @Option(names = "--node", paramLabel = "NAME", description = "Kubernetes node name the kubelet cert must name (default: --host).")
    String node;

    @Option(names = "--ca", paramLabel = "NAME", defaultValue = "k8s", description = "CA name, the file prefix (default: ${DEFAULT-VALUE}).")
    String ca;

    @Parameters(paramLabel = "DIR", description = "The secrets dir (k8nix layout) or a flat bundle dir.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<AgeIdentity> ids = new ArrayList<>();
            for (Path p : identities) {
                ids.addAll(Identities.load(p, w -> err.println("agentctl: warning: " + w)));
            }
            BundleLayout layout = BundleLayout.locate(dir, host, ca);
            // every key that opens, and the keyless checks for those that do not: one run reports every file
            BundleLoader.Partial partial = BundleLoader.loadEach(layout, ids);
            LoadedBundle bundle = partial.bundle();
            for (BundleException e : partial.keyErrors()) {
                err.println("agentctl: " + e.reason() + ": " + e.getMessage());
            }
            ValidationReport report;
            try {
                report = BundleValidator.validate(bundle, node == null ? host : node, Instant.now());
            } finally {
                bundle.wipe();
            }
            for (BundleException e : partial.keyErrors()) {
                String cert = layout.entries().stream().filter(en -> en.keyFile().toString().equals(e.file()))
                        .map(en -> en.cert()).findFirst().orElse("?");
                out.printf("%-4s  %-30s %-17s %s%n", "FAIL", cert, "key-decrypt", e.reason() + ": " + e.getMessage());
            }
            for (CertCheck c : report.checks()) {
                out.printf("%-4s  %-30s %-17s %s%n", c.ok() ? (c.warning() ? "WARN" : "ok") : "FAIL", c.cert(), c.check(), c.message());
            }
            boolean ok = report.ok() && partial.keyErrors().isEmpty();
            out.printf("%s: %d certs, %d checks, %d failed, %d warnings, %d keys not opened (%s)%n", ok ? "OK" : "FAILED",
                    layout.entries().size(), report.checks().size(), report.failures().size(), report.warnings().size(),
                    partial.keyErrors().size(), layout.dir());
            return ok ? AgentCtl.OK : AgentCtl.FAILED;
        } catch (BundleException e) {
            err.println("agentctl: " + e.reason() + ": " + e.getMessage());
            return AgentCtl.FAILED;
        } catch (AgeException e) {
            err.println("agentctl: " + e.getMessage());
            return AgentCtl.FAILED;
        }
    }
}
