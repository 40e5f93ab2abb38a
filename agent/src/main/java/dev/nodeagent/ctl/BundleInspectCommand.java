package dev.nodeagent.ctl;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.BundleInspector;
import dev.nodeagent.bundle.HostsFile;
import java.util.HashMap;
import java.util.Map;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentctl bundle inspect}: every cert, subject, SANs, usages, not-after, days left and key recipients, and
 * every check that needs no private key; decrypts nothing. Exit 1 when a check fails or a file is unreadable.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "List every cert in DIR (the CA and each host's) with subject, SANs, usages, not-after, days left "
                + "and the recipients (SSH key tags) of its encrypted key, and run every check that needs no private key "
                + "(chain to the CA, validity, usages, kubelet node name, subject). Needs no key; exit 1 if a check fails.")
public final class BundleInspectCommand implements Callable<Integer> {

    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--ca", paramLabel = "NAME", defaultValue = "k8s", description = "CA name, the file prefix (default: ${DEFAULT-VALUE}).")
    String ca;

    @Option(names = "--hosts", paramLabel = "HOSTS.YAML",
            description = "Name the recipient tags after the hosts in HOSTS.YAML, and flag keys not encrypted to their host's current key.")
    Path hosts;

    @Option(names = "--node", paramLabel = "NAME",
            description = "Node name the kubelet cert must name (default: its derived/<host> dir; a flat dir without it skips the check).")
    String node;

    @Parameters(paramLabel = "DIR", description = "The secrets dir (k8nix layout) or a flat bundle dir.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<BundleInspector.Inspected> certs;
        try {
            certs = BundleInspector.inspect(dir, ca, node, java.time.Instant.now());
            if (hosts != null) {
                certs = label(certs, HostsFile.load(hosts));
            }
        } catch (BundleException e) {
            spec.commandLine().getErr().println("agentctl: " + e.reason() + ": " + e.getMessage());
            return AgentCtl.FAILED;
        }
        if (format == Format.json) {
            out.println(ApiJson.writePretty(certs));
        } else {
            for (BundleInspector.Inspected c : certs) {
                out.printf("%s%s%n", c.host().isEmpty() ? "" : c.host() + "/", c.cert());
                out.printf("  file       %s%n", c.certFile());
                if (c.notAfter() != null) {
                    out.printf("  subject    CN=%s%s%n", c.subjectCN(), c.subjectO().isEmpty() ? "" : " O=" + c.subjectO());
                    out.printf("  issuer     CN=%s  serial %s%n", c.issuerCN(), c.serialNumber());
                    out.printf("  valid      %s .. %s (%s)%n", c.notBefore(), c.notAfter(),
                            c.daysLeft() < 0 ? "expired " + -c.daysLeft() + " days ago" : c.daysLeft() + " days left");
                }
                if (!c.keyUsages().isEmpty() || !c.extendedKeyUsages().isEmpty()) {
                    out.printf("  usages     %s%s%n", String.join(", ", c.keyUsages()),
                            c.extendedKeyUsages().isEmpty() ? "" : "; " + String.join(", ", c.extendedKeyUsages()));
                }
                if (!c.sans().isEmpty()) {
                    out.printf("  sans       %s%n", String.join(", ", c.sans()));
                }
                if (!c.keyFile().isEmpty()) {
                    out.printf("  key        %s%n  recipients %s%n", c.keyFile(), String.join(", ", c.keyRecipients()));
                }
                if (c.error() != null) {
                    out.printf("  error      %s%n", c.error());
                }
                for (BundleInspector.Finding k : c.checks()) {
                    out.printf("  %-4s       %-17s %s%n", k.result().equals("ok") ? "ok" : k.result().toUpperCase(java.util.Locale.ROOT),
                            k.check(), k.message());
                }
            }
            long failed = certs.stream().filter(c -> !c.ok()).count();
            out.printf("%s: %d certs, %d with a failed check or error (keys not opened: key-matches-cert is `bundle verify`'s)%n",
                    failed == 0 ? "OK" : "FAILED", certs.size(), failed);
        }
        return certs.stream().allMatch(BundleInspector.Inspected::ok) ? AgentCtl.OK : AgentCtl.FAILED;
    }

    /** "ssh-ed25519 TAG" → "ssh-ed25519 TAG (w1)"; a host's key without its host's current tag gets an error. */
    static List<BundleInspector.Inspected> label(List<BundleInspector.Inspected> certs, HostsFile h) {
        Map<String, String> names = new HashMap<>();
        Map<String, String> tagOf = new HashMap<>();
        for (HostsFile.Host host : h.hosts()) {
            host.recipient().sshTag().ifPresent(t -> {
                names.put(host.recipient().type() + " " + t, host.name());
                tagOf.put(host.name(), host.recipient().type() + " " + t);
            });
        }
        return certs.stream().map(c -> {
            List<String> labelled = c.keyRecipients().stream()
                    .map(r -> names.containsKey(r) ? r + " (" + names.get(r) + ")" : r).toList();
            String error = c.error();
            String want = tagOf.get(c.host());
            if (error == null && want != null && !c.keyFile().isEmpty() && !c.keyRecipients().contains(want)) {
                error = c.keyFile() + " is not encrypted to " + c.host() + "'s current key (" + want + ")";
            }
            return new BundleInspector.Inspected(c.host(), c.cert(), c.certFile(), c.subjectCN(), c.subjectO(),
                    c.issuerCN(), c.serialNumber(), c.notBefore(), c.notAfter(), c.sans(), c.keyFile(), labelled, error,
                    c.keyUsages(), c.extendedKeyUsages(), c.daysLeft(), c.checks());
        }).toList();
    }
}
