package dev.nodeagent.agent.reconcilers.nodeconditions;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kubernetes Events on condition transitions ("MTUMismatch is now True: pod MTU 1500 + …"), posted in namespace
 * {@code default} against the Node as the kubelet does, {@code Warning} when a problem appears and {@code Normal}
 * when it clears. A status flip only — not the first publication of a healthy condition, not a heartbeat — and at
 * most {@code maxPerHour} (sliding window), so a flapping check cannot flood the API server. Best effort: a failed
 * POST is counted, never fails the pass.
 */
final class TransitionEvents {

    private final int maxPerHour;
    private final Deque<Instant> sent = new ArrayDeque<>();
    private int dropped;

    TransitionEvents(int maxPerHour) {
        this.maxPerHour = maxPerHour;
    }

    /** Posts events for the types whose status differs between {@code before} and {@code after}. */
    void post(KubernetesClient client, String node, List<NodeCondition> before, List<NodeCondition> after,
              Instant now) {
        if (maxPerHour == 0) {
            return;
        }
        Map<String, NodeCondition> old = before.stream()
                .collect(Collectors.toMap(NodeCondition::getType, Function.identity(), (a, b) -> a));
        for (NodeCondition c : after) {
            NodeCondition prev = old.get(c.getType());
            boolean flipped = prev != null ? !prev.getStatus().equals(c.getStatus()) : "True".equals(c.getStatus());
            if (!flipped) {
                continue;
            }
            while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
                sent.removeFirst();
            }
            if (sent.size() >= maxPerHour) {
                dropped++;
                continue;
            }
            try {
                client.v1().events().inNamespace("default").resource(event(node, c, now)).create();
                sent.addLast(now);
            } catch (KubernetesClientException e) {
                dropped++;
            }
        }
    }

    int dropped() {
        return dropped;
    }

    private static Event event(String node, NodeCondition c, Instant now) {
        String ts = now.toString();
        return new EventBuilder().withNewMetadata()
                .withName(node + "." + Long.toHexString(now.toEpochMilli()) + "." + c.getType().toLowerCase(Locale.ROOT))
                .withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Node").withApiVersion("v1").withName(node).withUid(node)
                .endInvolvedObject()
                .withType("True".equals(c.getStatus()) ? "Warning" : "Normal")
                .withReason(c.getReason())
                .withMessage(c.getType() + " is now " + c.getStatus() + ": " + c.getMessage())
                .withNewSource().withComponent("node-agent").withHost(node).endSource()
                .withReportingComponent("node-agent").withReportingInstance(node)
                .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1).build();
    }
}
