package dev.nodeagent.agent.reconcilers.clock;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.GaugeSet;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.reconcilers.prereqs.ClockSync;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the local clock with the API server's, because a clock that is off makes fresh certificates "not yet
 * valid" (and old ones look fine too long), breaks token expiry and leader election: each pass one request to the
 * server the kubeconfig names (any response carries a {@code Date} header; no credentials are needed for it), the
 * skew judged by {@link Skew}, and the kernel's own synchronisation state ({@link ClockSync}, adjtimex) as a
 * warning. No usable kubeconfig: only the kernel state is reported, and the pass is {@code waiting}.
 */
public final class ClockSkewReconciler implements Reconciler {

    public static final String NAME = "clock-skew";

    /** Fetches the server's {@code Date}: empty while no kubeconfig is usable ({@code why} says so). */
    public interface ServerClock {
        /** The server's Date header, or empty with the reason in {@link #lastProblem()}. */
        Optional<Instant> date() throws Exception;

        String lastProblem();
    }

    /** {@code reconcilers.clockSkew}: {@code kubeconfig}, {@code maxSkew}. */
    public record Settings(String kubeconfig, Duration maxSkew) {
        public static Settings parse(ConfigNode n) {
            return new Settings(n.absolutePath("kubeconfig", "/var/lib/kubelet/kubeconfig"),
                    n.duration("maxSkew", Duration.ofSeconds(30)));
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("clockSkew", Duration.ofMinutes(5), Duration.ofSeconds(20), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new ClockSkewReconciler(settings,
                    new ApiServerClock(settings.kubeconfig(), services.hostPaths()), new ClockSync(services.commands()),
                    services.clock(), services.metrics().registry()));

    private final Settings settings;
    private final ServerClock server;
    private final ClockSync sync;
    private final InstantSource clock;
    private final GaugeSet skewGauge;

    public ClockSkewReconciler(Settings settings, ServerClock server, ClockSync sync, InstantSource clock,
                               MeterRegistry registry) {
        this.settings = settings;
        this.server = server;
        this.sync = sync;
        this.clock = clock;
        this.skewGauge = new GaugeSet(registry, "node_agent_clock_skew_seconds",
                "Local clock minus the API server's (its Date header); positive = local ahead. Absent without a kubeconfig.",
                Tags.empty(), List.of());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        List<Check> checks = new ArrayList<>();
        ClockSync.Status s = sync.status();
        checks.add(Check.warnIfNot(s.synced().orElse(false), "clock synchronised", s.synced().isEmpty()
                ? "cannot tell whether the clock is synchronised: " + s.source()
                : s.synced().get() ? "the kernel says the clock is synchronised (" + s.source() + ")"
                : "the kernel says the clock is not synchronised (" + s.source() + "); start an NTP client"));
        Instant sent = clock.instant();
        Optional<Instant> date;
        try {
            date = server.date();
        } catch (Exception e) {
            skewGauge.clear();
            return new Outcome(State.WAITING, false, "ApiServerUnreachable", "cannot read the API server's time: "
                    + e.getMessage(), checks, Map.of());
        }
        Instant received = clock.instant();
        if (date.isEmpty()) {
            skewGauge.clear();
            return new Outcome(State.WAITING, false, "KubeconfigMissing", server.lastProblem(), checks, Map.of());
        }
        Skew k = Skew.of(sent, received, date.get());
        skewGauge.replaceAll(Map.of(List.of(), k.skew().toMillis() / 1000.0));
        boolean bad = k.beyond(settings.maxSkew());
        String message = bad
                ? "the local clock is " + k.describe() + " the API server (" + date.get() + ", local " + received
                        + "), beyond maxSkew " + settings.maxSkew().toSeconds() + "s: fresh certificates look not yet"
                        + " valid; fix NTP (chronyc tracking, timedatectl timesync-status)"
                : "the local clock is within " + settings.maxSkew().toSeconds() + "s of the API server ("
                        + k.describe() + ")";
        checks.add(0, Check.failIfNot(!bad, "clock skew", message));
        Outcome o = Outcome.fromChecks(checks, message);
        return o.state() == State.FAILED ? new Outcome(State.FAILED, false, "ClockSkew", o.message(), checks, Map.of()) : o;
    }
}
