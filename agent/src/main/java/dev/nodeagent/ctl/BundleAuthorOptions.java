package dev.nodeagent.ctl;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.AgeRecipient;
import dev.nodeagent.age.Identities;
import dev.nodeagent.age.Recipients;
import dev.nodeagent.bundle.BundleAuthor;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.CertIssuer;
import dev.nodeagent.bundle.HostsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code bundle create} and {@code bundle renew} share, and the run they share. */
final class BundleAuthorOptions {

    @Option(names = "--hosts", paramLabel = "HOSTS.YAML", required = true,
            description = "The hosts file: ca, serviceCIDR, hosts[name, role, sshKey|sshKeyFile, sans] (see README).")
    Path hosts;

    @Option(names = "--operator-key", paramLabel = "KEY.pub", required = true, arity = "1..*",
            description = "Operator public key file(s) (ssh-ed25519, ssh-rsa or age1…); every key is encrypted to these.")
    List<Path> operatorKeys = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The secrets dir to write: ca/<ca>.crt, ca/<ca>.key.age, derived/<host>/<ca>-<cert>.{crt,key.age}.")
    Path out;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY",
            description = "Operator private key (SSH or age) to decrypt an existing CA key (and service-account key).")
    List<Path> identities = new ArrayList<>();

    int run(BundleAuthor.Mode mode, Duration within, PrintWriter out, PrintWriter err) {
        try {
            HostsFile h = HostsFile.load(hosts);
            List<AgeRecipient> operators = new ArrayList<>();
            for (Path p : operatorKeys) {
                operators.addAll(Recipients.load(p));
            }
            List<AgeIdentity> ids = new ArrayList<>();
            for (Path p : identities) {
                ids.addAll(Identities.load(p, w -> err.println("agentctl: warning: " + w)));
            }
            BundleAuthor author = new BundleAuthor(new CertIssuer(new SecureRandom()), InstantSource.system());
            BundleAuthor.Result r = author.write(new BundleAuthor.Request(h, this.out, operators, ids, mode, within));
            out.println((r.caCreated() ? "created" : "reused ") + " CA " + h.ca() + " (valid until " + r.caNotAfter() + ")");
            for (BundleAuthor.Action a : r.actions()) {
                out.printf("%-8s %-16s %-30s until %s%n", a.action(), a.host(), a.cert(), a.notAfter());
            }
            r.warnings().forEach(w -> err.println("agentctl: warning: " + w));
            long changed = r.actions().stream().filter(a -> !a.action().equals("kept")).count();
            out.println(changed + " cert(s) written, " + (r.actions().size() - changed) + " kept, in " + this.out);
            return AgentCtl.OK;
        } catch (BundleException e) {
            err.println("agentctl: " + e.reason() + ": " + e.getMessage());
            return AgentCtl.FAILED;
        } catch (AgeException e) {
            err.println("agentctl: " + e.getMessage());
            return AgentCtl.FAILED;
        }
    }
}
