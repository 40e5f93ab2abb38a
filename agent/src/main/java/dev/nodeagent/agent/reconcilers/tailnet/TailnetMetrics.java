package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.metrics.GaugeSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;

/**
 * {@code node_agent_interface_mtu_bytes{interface}} and {@code node_agent_route_ok{destination,expected_interface}}.
 * Each pass replaces the whole set, so a removed endpoint or a vanished interface leaves no stale series.
 * For same-site peers {@code expected_interface} is {@code !tailscale0}: any interface but the tailnet's.
 */
final class TailnetMetrics {

    private final GaugeSet mtu;
    private final GaugeSet routes;

    TailnetMetrics(MeterRegistry registry) {
        this.mtu = new GaugeSet(registry, "node_agent_interface_mtu_bytes",
                "MTU of the tailnet interface as the kernel reports it; absent while the interface is missing.",
                Tags.empty(), List.of("interface"));
        this.routes = new GaugeSet(registry, "node_agent_route_ok",
                "1 when the kernel routes the destination via the expected interface (!X: anything but X), else 0.",
                Tags.empty(), List.of("destination", "expected_interface"));
    }

    void interfaceMtu(Map<List<String>, Double> values) {
        mtu.replaceAll(values);
    }

    void routes(Map<List<String>, Double> values) {
        routes.replaceAll(values);
    }
}
