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
 * The production request, as node-problem-detector sends it: {@code PATCH /api/v1/nodes/<name>/status} with
 * {@code Content-Type: application/strategic-merge-patch+json} and body
 * {@code {"status":{"conditions":[<owned upserts>…, {"type":"X","$patch":"delete"}…]}}}.
 *
 * <p>Why this shape: {@code NodeStatus.conditions} is declared {@code patchStrategy=merge, patchMergeKey=type}, so
 * the API server merges each element by its type and never rewrites the kubelet's own conditions — no read-modify-
 * write, so no lost update when the kubelet patches {@code Ready} between our read and our write (a JSON patch would
 * need list indexes plus a {@code test} op and would fail whenever the kubelet's conditions moved; a JSON merge
 * patch replaces the whole list). A strategic merge cannot delete an element by omitting it (omission means "leave
 * as is"), so a stale owned type is removed with the {@code $patch: delete} directive keyed by type, which the
 * server ignores when the element is already gone. {@code $retainKeys} is not for lists of maps, so it does not
 * apply here.
 */
public final class StrategicMergeWriter implements ConditionWriter {

    private final KubernetesSerialization json = new KubernetesSerialization();

    @Override
    public List<NodeCondition> write(KubernetesClient client, String node, List<NodeCondition> upserts,
                                     Set<String> removals, List<NodeCondition> current) {
        return StatusPatch.send(client, node, "application/strategic-merge-patch+json", body(upserts, removals));
    }

    /** The patch body; deletions sorted so the request is deterministic. */
    String body(List<NodeCondition> upserts, Set<String> removals) {
        List<Object> items = new ArrayList<>(upserts);
        removals.stream().sorted().forEach(type -> {
            Map<String, String> delete = new LinkedHashMap<>();
            delete.put("type", type);
            delete.put("$patch", "delete");
            items.add(delete);
        });
        return json.asJson(Map.of("status", Map.of("conditions", items)));
    }
}
