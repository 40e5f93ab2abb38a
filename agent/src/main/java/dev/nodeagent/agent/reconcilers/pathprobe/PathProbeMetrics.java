package dev.nodeagent.agent.reconcilers.pathprobe;

import dev.nodeagent.agent.metrics.GaugeSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;

/**
 * {@code node_agent_path_mtu_bytes{peer}}, {@code node_agent_path_mtu_required_bytes{peer}},
 * {@code node_agent_path_rtt_seconds{peer}} and {@code node_agent_path_loss_ratio{peer}}; {@code peer} is the name as
 * configured. Each pass replaces the sets, so a peer no longer probed (or not measurable this pass) leaves no
 * stale value.
 */
final class PathProbeMetrics {

    private final GaugeSet mtu;
    private final GaugeSet required;
    private final GaugeSet rtt;
    private final GaugeSet loss;

    PathProbeMetrics(MeterRegistry registry) {
        List<String> peer = List.of("peer");
        this.mtu = new GaugeSet(registry, "node_agent_path_mtu_bytes",
                "Largest don't-fragment packet (bytes, IP header included) the path to the peer carried in the last pass.",
                Tags.empty(), peer);
        this.required = new GaugeSet(registry, "node_agent_path_mtu_required_bytes",
                "Packet size the path to the peer must carry: pod MTU plus encapsulation (or the link MTU).",
                Tags.empty(), peer);
        this.rtt = new GaugeSet(registry, "node_agent_path_rtt_seconds",
                "Average ICMP echo round-trip time to the peer in the last pass; absent when nothing was answered.",
                Tags.empty(), peer);
        this.loss = new GaugeSet(registry, "node_agent_path_loss_ratio",
                "Share of the last pass's small echo requests to the peer that were not answered (0..1).",
                Tags.empty(), peer);
    }

    void record(Map<List<String>, Double> mtus, Map<List<String>, Double> requireds, Map<List<String>, Double> rtts,
                Map<List<String>, Double> losses) {
        mtu.replaceAll(mtus);
        required.replaceAll(requireds);
        rtt.replaceAll(rtts);
        loss.replaceAll(losses);
    }
}
