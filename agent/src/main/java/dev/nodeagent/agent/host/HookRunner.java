package dev.nodeagent.agent.host;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the agent runs a hook, for every reconciler: {@code /bin/sh -c COMMAND} with stdin from
 * {@code /dev/null}, the hook's timeout (the process tree is killed at it), the agent's environment plus
 * {@code NODE_AGENT_RECONCILER} (who runs it) and {@code NODE_AGENT_CHANGED} (what changed: space-separated
 * paths as configured, i.e. host paths), and output captured: logged redacted and truncated
 * ({@link HookOutput}), only its last stderr line in the status message. The hooks only ever see paths, never key
 * bytes from us.
 */
public final class HookRunner {

    public static final String ENV_RECONCILER = "NODE_AGENT_RECONCILER";
    public static final String ENV_CHANGED = "NODE_AGENT_CHANGED";

    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final CommandRunner commands;

    public HookRunner(CommandRunner commands) {
        this.commands = commands;
    }

    /** How one run went: {@code problem} is null on success, else one sentence (no output but the last line). */
    public record Run(Hook hook, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Runs {@code hook} for {@code owner} (a reconciler name); {@code changed} lists the paths that changed.
     */
    public Run run(String owner, Hook hook, List<String> changed) throws InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_RECONCILER, owner);
        env.put(ENV_CHANGED, String.join(" ", changed));
        String name = hook.display();
        CommandRunner.Result r;
        try {
            r = commands.run(hook.shellArgv(), env, hook.timeout());
        } catch (IOException e) {
            String problem = "could not start /bin/sh: " + e.getMessage();
            LOG.warn("{}: hook '{}' {}", owner, name, problem);
            return new Run(hook, problem);
        }
        List<String> lines = HookOutput.forLog(r.stdout() + (r.stdout().endsWith("\n") || r.stdout().isEmpty() ? "" : "\n") + r.stderr());
        if (r.ok()) {
            LOG.info("{}: hook '{}' ok{}", owner, name, lines.isEmpty() ? "" : " (" + lines.size() + " line(s) of output)");
            lines.forEach(l -> LOG.info("{}: hook '{}': {}", owner, name, l));
            return new Run(hook, null);
        }
        String problem;
        if (r.timedOut()) {
            problem = "timed out after " + seconds(hook) + " (killed)";
        } else {
            String last = HookOutput.lastLine(r.stderr());
            problem = "exited " + r.exitCode() + (last.isEmpty() ? "" : ": " + last);
        }
        LOG.warn("{}: hook '{}' failed: {}", owner, name, problem);
        lines.forEach(l -> LOG.warn("{}: hook '{}': {}", owner, name, l));
        return new Run(hook, problem);
    }

    private static String seconds(Hook hook) {
        long ms = hook.timeout().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
