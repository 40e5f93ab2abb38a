package dev.nodeagent.agent.host;

import dev.nodeagent.api.status.Check;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-change hooks of one reconciler (e.g. {@code systemctl try-restart kubelet.service} after the kubelet's
 * kubeconfig changed). A hook is scheduled only when a pass changed a file, runs once per scheduling, and a hook
 * that fails (non-zero exit, timeout, cannot start) stays pending and is retried on the next pass, so a
 * transient failure does not lose the restart the change needs. Output is captured to the log, never to status.
 */
public final class ChangeHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeHooks.class);

    /** One command (argv, no shell) with its timeout. */
    public record Hook(List<String> argv, Duration timeout) {
        public Hook {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty hook command");
            }
        }

        /** A config line such as {@code systemctl try-restart kubelet.service}, split on whitespace (no shell). */
        public static Hook parse(String line, Duration timeout) {
            return new Hook(List.of(line.trim().split("\\s+")), timeout);
        }

        public String display() {
            return String.join(" ", argv);
        }
    }

    private final String owner;
    private final CommandRunner runner;
    private final Set<Hook> pending = new LinkedHashSet<>();

    public ChangeHooks(String owner, CommandRunner runner) {
        this.owner = owner;
        this.runner = runner;
    }

    /** Queues hooks to run on {@link #runPending()}; a hook already queued runs once. */
    public void schedule(Collection<Hook> hooks) {
        pending.addAll(hooks);
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Runs every pending hook in order; returns one check per hook run (failures stay pending). */
    public List<Check> runPending() throws InterruptedException {
        List<Check> checks = new ArrayList<>();
        for (Hook hook : List.copyOf(pending)) {
            String name = "hook " + hook.display();
            String problem;
            try {
                CommandRunner.Result r = runner.run(hook.argv(), hook.timeout());
                log(hook, r);
                problem = r.timedOut() ? "timed out after " + seconds(hook.timeout())
                        : r.exitCode() != 0 ? "exited " + r.exitCode() : null;
            } catch (IOException e) {
                problem = "cannot start: " + e.getMessage();
                LOG.warn("{}: hook '{}' {}", owner, hook.display(), problem);
            }
            if (problem == null) {
                pending.remove(hook);
                checks.add(Check.pass(name, "ran after a change"));
            } else {
                checks.add(Check.fail(name, "on-change hook '" + hook.display() + "' " + problem + "; retried next pass"));
            }
        }
        return checks;
    }

    private void log(Hook hook, CommandRunner.Result r) {
        String out = (r.stdout() + r.stderr()).strip();
        if (r.ok()) {
            LOG.info("{}: hook '{}' ok{}", owner, hook.display(), out.isEmpty() ? "" : ": " + out);
        } else {
            LOG.warn("{}: hook '{}' failed (exit {}{}){}", owner, hook.display(), r.exitCode(),
                    r.timedOut() ? ", timed out" : "", out.isEmpty() ? "" : ": " + out);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
