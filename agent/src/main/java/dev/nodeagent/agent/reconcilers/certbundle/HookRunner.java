package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings.Hook;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the on-change hooks after a switch, in order, each with its timeout; their output goes to the log (the
 * hooks only ever see the stable paths, never key bytes from us). One failing hook does not stop the rest: a
 * restart of kube-proxy should not depend on the kubelet's.
 */
final class HookRunner {

    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final CommandRunner commands;

    HookRunner(CommandRunner commands) {
        this.commands = commands;
    }

    /** A hook that failed, and one sentence saying how. */
    record Failure(Hook hook, String message) {
    }

    /** Runs every hook; returns the failed ones (empty when all succeeded). */
    List<Failure> runAll(List<Hook> hooks, long generation) throws InterruptedException {
        List<Failure> failures = new ArrayList<>();
        for (Hook hook : hooks) {
            String name = hook.display();
            try {
                CommandRunner.Result r = commands.run(hook.command(), hook.timeout());
                logOutput(name, r);
                if (r.timedOut()) {
                    failures.add(new Failure(hook, "hook '" + name + "' timed out after " + hook.timeout().toSeconds() + "s"));
                } else if (r.exitCode() != 0) {
                    failures.add(new Failure(hook, "hook '" + name + "' exited " + r.exitCode() + lastLine(r.stderr())));
                } else {
                    LOG.info("cert-bundle: hook '{}' ok after generation {}", name, generation);
                }
            } catch (IOException e) {
                failures.add(new Failure(hook, "hook '" + name + "' could not start: " + e.getMessage()));
            }
        }
        for (Failure f : failures) {
            LOG.warn("cert-bundle: {}", f.message());
        }
        return List.copyOf(failures);
    }

    private static void logOutput(String name, CommandRunner.Result r) {
        for (String line : (r.stdout() + r.stderr()).split("\n")) {
            if (!line.isBlank()) {
                LOG.info("cert-bundle: hook '{}': {}", name, line);
            }
        }
    }

    private static String lastLine(String stderr) {
        String[] lines = stderr.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "" : ": " + (last.length() > 200 ? last.substring(0, 200) + "…" : last);
    }
}
