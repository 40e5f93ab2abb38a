package dev.nodeagent.agent.preflight;

import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.engine.ReconcilerRunner;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.spec.AgentServices;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.BuildInfo;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code node-agent check}: runs one pass of every reconciler the config enables — the same passes the daemon
 * runs, built from the same {@code Reconcilers} list (handed in by {@code Main}, so this package does not depend on
 * the one that wires the daemon), so a reconciler added there is included here too — one at a
 * time, each after the ones it {@linkplain dev.nodeagent.agent.reconcile.Reconciler#dependsOn depends on}
 * ({@link PassOrder}), each with its timeout, then prints one line per reconciler and one per check. No HTTP,
 * no loop. A pass is a pass: what the daemon would repair (a link, a sysctl with {@code fix: true}) is repaired.
 * Exit status 0 when no reconciler failed (waiting and warnings do not fail), 1 otherwise.
 */
public final class Preflight {

    private final AgentConfig config;
    private final InstantSource clock;
    private final List<String> names;
    private final Function<AgentServices, List<ScheduledReconciler>> build;

    /**
     * {@code names}: the enabled reconcilers in status order; {@code build}: makes them with the given services
     * ({@code Reconcilers.enabledNames} and {@code Reconcilers.create} in production).
     */
    public Preflight(AgentConfig config, InstantSource clock, List<String> names,
                     Function<AgentServices, List<ScheduledReconciler>> build) {
        this.config = config;
        this.clock = clock;
        this.names = List.copyOf(names);
        this.build = build;
    }

    /** Runs every pass, prints the report to {@code out}, returns the exit status. */
    public int run(PrintStream out) throws InterruptedException {
        StatusStore status = new StatusStore(clock, config.node().name(), config.node().role().wire(),
                BuildInfo.version(), names);
        Map<String, Outcome> byName = new HashMap<>();
        // One pass after another, each after the ones it depends on (PassOrder): cert-bundle before kubeconfigs
        // and cni-config, which read the certs it writes. Running them concurrently made kubeconfigs report
        // CertMissing for certs the bundle pass was still writing.
        try (AgentMetrics metrics = new AgentMetrics(BuildInfo.version(), names)) {
            AgentServices services = new AgentServices(config, new HostPaths(config.hostRoot()), new AtomicWriter(),
                    new CommandRunner(), clock, metrics, status);
            ReconcilerRunner runner = new ReconcilerRunner(status, metrics, clock);
            for (ScheduledReconciler r : PassOrder.of(build.apply(services))) {
                // ReconcilerRunner turns every exception into a failed outcome.
                byName.put(r.name(), runner.run(r, true));
            }
        }
        List<Outcome> outcomes = names.stream().map(byName::get).toList(); // reported in status order
        print(out, names, outcomes);
        return outcomes.stream().anyMatch(o -> o.state() == State.FAILED) ? 1 : 0;
    }

    /** The message, without the warnings {@link Outcome#fromChecks} appends: the check lines below show them. */
    static String headline(Outcome o) {
        int cut = o.message().indexOf("; warnings: ");
        if (o.state() != State.OK || o.checks().isEmpty() || cut < 0) {
            return o.message();
        }
        long n = o.checks().stream().filter(c -> c.result().equals("warn")).count();
        return o.message().substring(0, cut) + " (" + n + " warning" + (n == 1 ? "" : "s") + ")";
    }

    void print(PrintStream out, List<String> names, List<Outcome> outcomes) {
        int nameWidth = Math.max(12, names.stream().mapToInt(String::length).max().orElse(0));
        int checkWidth = Math.max(24, outcomes.stream().flatMap(o -> o.checks().stream())
                .mapToInt(c -> c.name().length()).max().orElse(0));
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (int i = 0; i < names.size(); i++) {
            Outcome o = outcomes.get(i);
            counts.merge(o.state(), 1, Integer::sum);
            String reason = o.state() == State.OK ? "" : o.reason() + ": ";
            out.printf("%-" + nameWidth + "s  %-7s  %s%s%n", names.get(i), o.state().wire(), reason, headline(o));
            for (Check c : o.checks()) {
                out.printf("    %-4s  %-" + checkWidth + "s  %s%n", c.result(), c.name(), c.message());
            }
        }
        long warnings = outcomes.stream().flatMap(o -> o.checks().stream()).filter(c -> c.result().equals("warn")).count();
        out.printf("%d reconciler(s): %d ok, %d waiting, %d failed; %d warning(s)%n", names.size(),
                counts.getOrDefault(State.OK, 0), counts.getOrDefault(State.WAITING, 0),
                counts.getOrDefault(State.FAILED, 0), warnings);
    }
}
