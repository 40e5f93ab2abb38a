package dev.nodeagent.agent.reconcilers.nodeconditions;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;

/**
 * How owned conditions reach {@code nodes/<name>/status}: one request per call, whose response gives the Node's
 * conditions after the write. Pluggable because fabric8's CRUD mock cannot take the production request (it rejects
 * strategic merge with 415): production uses {@link StrategicMergeWriter}, mock-server tests {@link JsonPatchWriter}.
 */
public interface ConditionWriter {

    /**
     * Upserts {@code upserts} (matched by type), removes {@code removals}, leaves every other condition alone.
     *
     * @param current the Node's conditions as last read (a writer may use them for a consistency check)
     * @return the Node's conditions after the write
     */
    List<NodeCondition> write(KubernetesClient client, String node, List<NodeCondition> upserts, Set<String> removals,
                              List<NodeCondition> current);
}
