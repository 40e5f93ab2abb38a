package dev.nodeagent.agent.host;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One on-change hook: a shell command line, run with {@code /bin/sh -c} (so pipes, quotes, {@code &&} and
 * {@code $VARS} work as written in {@code agent.yaml}), and its timeout. Every reconciler's hooks have this one
 * meaning; {@link HookRunner} runs them.
 */
public record Hook(String command, Duration timeout) {

    /** The agent's default per-hook timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Hook {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("empty hook command");
        }
        command = command.strip();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("hook timeout must be positive: " + timeout);
        }
    }

    /** A config line such as {@code systemctl try-restart kubelet.service}, run as written by {@code /bin/sh -c}. */
    public static Hook shell(String line, Duration timeout) {
        return new Hook(line, timeout);
    }

    /**
     * A command given as a list {@code [program, arg…]}: each word is quoted for the shell, so it runs exactly as
     * that argv would (no word splitting, no globbing), through the same runner.
     */
    public static Hook argv(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty hook command");
        }
        return new Hook(argv.stream().map(Hook::quote).collect(Collectors.joining(" ")), timeout);
    }

    /** The argv that runs it. */
    public List<String> shellArgv() {
        return List.of("/bin/sh", "-c", command);
    }

    /** How the hook is named in status and logs: the command line. */
    public String display() {
        return command;
    }

    /** POSIX single-quoting; a word of safe characters stays as it is, for readable status lines. */
    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
