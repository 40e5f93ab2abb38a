package dev.nodeagent.agent.metrics;

import dev.nodeagent.api.status.Check;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code node_agent_check_ok{reconciler,check,severity}}: 1 when a named check passed, 0 when it did not. Fed from
 * every reconciler's outcome, so any reconciler that reports checks gets them as metrics. Each pass replaces that
 * reconciler's series: a check that a pass no longer reports disappears instead of keeping its last value.
 * Warnings and failures stay apart through the {@code severity} label ({@code warning}, {@code failure}).
 */
public final class CheckMetrics {

    public static final String NAME = "node_agent_check_ok";

    private final MeterRegistry registry;
    private final Map<String, GaugeSet> byReconciler = new ConcurrentHashMap<>();

    public CheckMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String reconciler, List<Check> checks) {
        Map<List<String>, Double> values = new LinkedHashMap<>();
        for (Check c : checks) {
            values.put(List.of(c.name(), c.severity().wire()), c.ok() ? 1.0 : 0.0);
        }
        byReconciler.computeIfAbsent(reconciler, r -> new GaugeSet(registry, NAME,
                "1 when the named check passed in the reconciler's last pass, 0 when it did not.",
                Tags.of("reconciler", r), List.of("check", "severity"))).replaceAll(values);
    }
}
