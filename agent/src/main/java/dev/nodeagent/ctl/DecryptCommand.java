package dev.nodeagent.ctl;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentctl decrypt}: like {@code age -d}, offline. Stricter than age: no plaintext is written unless the
 * whole file authenticated. With {@code -o} the output is a 0600 temp file next to OUT, renamed after success; to
 * stdout the plaintext is staged (memory, then an unlinked 0600 temp file) and written only after success, so a
 * pipe never receives the first chunks of a truncated or tampered file.
 */
@Command(name = "decrypt", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Decrypt an age file with SSH host keys or age identities (like age -d).",
            "Exit codes: 0 decrypted, 1 failed (no output written), 2 usage error."})
final class DecryptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--identity"}, required = true, paramLabel = "IDENTITY",
            description = "Private key file: OpenSSH/PEM ssh-ed25519 or ssh-rsa key, or AGE-SECRET-KEY-1 file. Repeatable.")
    List<Path> identityFiles;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the plaintext to OUT (atomically, mode 0600) instead of stdout.")
    Path output;

    @Parameters(arity = "0..1", paramLabel = "INPUT", description = "The age file (binary or armored); default stdin.")
    Path input;

    @Override
    public Integer call() {
        return AgeCli.decrypt(identityFiles, output, input, spec.commandLine().getErr());
    }
}
