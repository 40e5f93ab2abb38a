package dev.nodeagent.agent.host;

import dev.nodeagent.agent.host.PendingHooks.Pending;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-change hooks of one reconciler (e.g. {@code systemctl try-restart kubelet.service} after the kubelet's
 * kubeconfig changed). A hook is scheduled only when a pass changed a file and runs once per scheduling; one that
 * fails (non-zero exit, timeout, cannot start) stays pending and runs again on the next pass — and, because the
 * pending set is kept under the state directory ({@link PendingHooks}) before the hook first runs, on the next
 * start too, so neither a transient failure nor a restart loses the restart the change needs. Only hooks still
 * configured are taken back from the file: a hook removed from {@code agent.yaml} is dropped. Hooks run through
 * {@link HookRunner} ({@code /bin/sh -c}, timeout, output to the log only).
 */
public final class ChangeHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeHooks.class);

    private final String owner;
    private final Map<String, Hook> configured = new LinkedHashMap<>();
    private final PendingHooks store;
    private final HookRunner runner;
    private final InstantSource clock;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private boolean loaded;
    private String storeProblem;

    /**
     * {@code configured}: every hook this reconciler may schedule (the pending file is filtered by them);
     * the pending set lives in {@code <state dir>/hooks/<owner>.json}.
     */
    public ChangeHooks(String owner, Collection<Hook> configured, HostPaths paths, AtomicWriter writer,
                       HookRunner runner, InstantSource clock) {
        this.owner = owner;
        configured.forEach(h -> this.configured.putIfAbsent(h.command(), h));
        this.store = new PendingHooks(paths.state("hooks/" + owner + ".json"), writer);
        this.runner = runner;
        this.clock = clock;
    }

    /** Queues hooks to run on {@link #runPending()}, for these changed paths; a hook already queued runs once. */
    public void schedule(Collection<Hook> hooks, Collection<String> changed) {
        load();
        for (Hook h : hooks) {
            configured.putIfAbsent(h.command(), h);
            Pending p = pending.get(h.command());
            Set<String> paths = new LinkedHashSet<>(p == null ? Set.of() : p.changed());
            paths.addAll(changed);
            pending.put(h.command(), p == null ? new Pending(h.command(), clock.instant(), paths, 0, null)
                    : new Pending(p.command(), p.since(), paths, p.attempts(), p.lastError()));
        }
        if (!hooks.isEmpty()) {
            save(); // before running: a crash or stop mid-hook must not lose it
        }
    }

    public boolean hasPending() {
        load();
        return !pending.isEmpty();
    }

    /** Runs every pending hook in order; returns one check per hook run (failures stay pending). */
    public List<Check> runPending() throws InterruptedException {
        load();
        List<Check> checks = new ArrayList<>();
        for (Pending p : List.copyOf(pending.values())) {
            Hook hook = configured.get(p.command());
            String name = "hook " + hook.display();
            HookRunner.Run run = runner.run(owner, hook, List.copyOf(new TreeSet<>(p.changed())));
            if (run.ok()) {
                pending.remove(p.command());
                checks.add(Check.pass(name, "ran after a change" + (p.attempts() > 0 ? " (pending since " + p.since()
                        + ", " + (p.attempts() + 1) + " attempts)" : "")));
            } else {
                pending.put(p.command(), new Pending(p.command(), p.since(), p.changed(), p.attempts() + 1, run.problem()));
                checks.add(Check.fail(name, "on-change hook '" + hook.display() + "' " + run.problem()
                        + "; pending since " + p.since() + ", retried next pass"));
            }
        }
        if (!checks.isEmpty()) {
            save();
        }
        if (storeProblem != null) {
            checks.add(new Check("pending hooks file", Severity.WARNING, false, storeProblem));
        }
        return checks;
    }

    /** For status details: each pending hook's command, since, attempts and last failure. */
    public List<Map<String, Object>> pendingDetails() {
        load();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Pending p : pending.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", p.command());
            m.put("since", p.since().toString());
            m.put("attempts", p.attempts());
            if (p.lastError() != null) {
                m.put("lastError", p.lastError());
            }
            out.add(m);
        }
        return out;
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            for (Pending p : store.load()) {
                if (configured.containsKey(p.command())) {
                    pending.put(p.command(), p);
                    LOG.info("{}: hook '{}' pending since {} (from {}); it runs on this pass", owner, p.command(),
                            p.since(), store.file());
                } else {
                    LOG.warn("{}: dropping pending hook '{}' from {}: no longer configured", owner, p.command(), store.file());
                }
            }
        } catch (IOException e) {
            storeProblem = "cannot read pending hooks: " + e.getMessage();
            LOG.warn("{}: {}", owner, storeProblem);
        }
    }

    private void save() {
        try {
            store.save(owner, List.copyOf(pending.values()));
            storeProblem = null;
        } catch (IOException e) {
            // Not fatal: the hooks still run and retry this session; only a restart would forget them.
            storeProblem = "cannot keep pending hooks in " + store.file() + " (" + e.getMessage()
                    + "); a restart would forget them";
            LOG.warn("{}: {}", owner, storeProblem);
        }
    }
}
