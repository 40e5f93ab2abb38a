package dev.nodeagent.ctl;

import dev.nodeagent.bundle.BundleAuthor;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentctl bundle create}: the CA (new or reused) and every cert of every host, reissued. */
@Command(name = "create", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Create the CA (or reuse ca/<ca>.crt with its key decrypted by --identity) and issue every "
                + "cert of every host in HOSTS.YAML, each key encrypted to the operator keys and the host's SSH key.",
                "The service-account key pair is kept if present (rotating it invalidates all tokens)."})
public final class BundleCreateCommand implements Callable<Integer> {

    @Mixin
    BundleAuthorOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return options.run(BundleAuthor.Mode.CREATE, Duration.ZERO, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
