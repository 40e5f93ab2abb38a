package dev.nodeagent.ctl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentctl encrypt}: like {@code age -e}, offline, to ssh-ed25519 / ssh-rsa / age1 recipients. */
@Command(name = "encrypt", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Encrypt to SSH public keys or age1 recipients (like age -e).",
            "Exit codes: 0 encrypted, 1 failed (no output written), 2 usage error."})
final class EncryptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--recipient"}, paramLabel = "RECIPIENT",
            description = "'ssh-ed25519 AAAA…', 'ssh-rsa AAAA…' (≥ 2048 bits) or age1…. Repeatable.")
    List<String> recipients = new ArrayList<>();

    @Option(names = {"-R", "--recipients-file"}, paramLabel = "FILE",
            description = "File of recipients (authorized_keys / .pub syntax, # comments). Repeatable.")
    List<Path> recipientFiles = new ArrayList<>();

    @Option(names = {"-a", "--armor"}, description = "Write ASCII armor (PEM) instead of binary.")
    boolean armor;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write to OUT (atomically, mode 0600) instead of stdout.")
    Path output;

    @Parameters(arity = "0..1", paramLabel = "INPUT", description = "The plaintext; default stdin.")
    Path input;

    @Override
    public Integer call() {
        if (recipients.isEmpty() && recipientFiles.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing recipient: give -r RECIPIENT or -R FILE");
        }
        return AgeCli.encrypt(recipients, recipientFiles, armor, output, input, spec.commandLine().getErr());
    }
}
