package dev.nodeagent.ctl;

import dev.nodeagent.bundle.BundleAuthor;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentctl bundle renew}: reissues, with the same CA, the leaves that expire within N days (or are missing). */
@Command(name = "renew", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Reissue, with the existing CA (its key decrypted by --identity), every leaf cert that expires "
                + "within --days, is missing, or was not issued by this CA. Others are left byte-identical."})
public final class BundleRenewCommand implements Callable<Integer> {

    @Mixin
    BundleAuthorOptions options;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30",
            description = "Renew leaves with fewer than N days left (default: ${DEFAULT-VALUE}).")
    int days;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (days < 0) {
            spec.commandLine().getErr().println("agentctl: --days must be ≥ 0");
            return AgentCtl.USAGE;
        }
        return options.run(BundleAuthor.Mode.RENEW, Duration.ofDays(days), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
