package dev.nodeagent.agent.reconcilers.nodeconditions;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON patch ({@code application/json-patch+json}) that fabric8's CRUD mock applies correctly: {@code test} that
 * the conditions list is still what was last read, then {@code replace} (or {@code add}) it with the merged list —
 * one request, like the production writer, so the mock's request counts equal production's. The test op makes a
 * concurrent change fail the request instead of being overwritten; the reconciler then re-reads the Node. Used by
 * tests; production uses {@link StrategicMergeWriter}.
 */
public final class JsonPatchWriter implements ConditionWriter {

    private final KubernetesSerialization json = new KubernetesSerialization();

    @Override
    public List<NodeCondition> write(KubernetesClient client, String node, List<NodeCondition> upserts,
                                     Set<String> removals, List<NodeCondition> current) {
        List<NodeCondition> merged = merge(current, upserts, removals);
        List<Map<String, Object>> ops = new ArrayList<>();
        if (current.isEmpty()) {
            ops.add(op("add", "/status/conditions", merged));
        } else {
            ops.add(op("test", "/status/conditions", current));
            ops.add(op("replace", "/status/conditions", merged));
        }
        return StatusPatch.send(client, node, "application/json-patch+json", json.asJson(ops));
    }

    /** Foreign and kept conditions stay in place; upserts replace by type in place or append. */
    static List<NodeCondition> merge(List<NodeCondition> current, List<NodeCondition> upserts, Set<String> removals) {
        Map<String, NodeCondition> byType = new LinkedHashMap<>();
        current.forEach(c -> byType.put(c.getType(), c));
        removals.forEach(byType::remove);
        upserts.forEach(c -> byType.put(c.getType(), c));
        return List.copyOf(byType.values());
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("path", path);
        m.put("value", value);
        return m;
    }
}
