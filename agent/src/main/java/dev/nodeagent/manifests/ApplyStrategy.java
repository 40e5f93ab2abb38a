package dev.nodeagent.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one object is written. Production: {@link #SERVER_SIDE_APPLY} — {@code PATCH} with
 * {@code application/apply-patch+yaml}, {@code fieldManager=node-agent}, {@code force=true}: the server merges our
 * fields, keeps other managers' fields, and takes ownership back of a field someone drifted. fabric8's CRUD mock
 * answers that content type with 415, so mock-server tests use {@link #CREATE_OR_EDIT}, which creates, or edits the
 * live object (fabric8 sends a JSON patch of the difference) with the manifest's fields laid over it — the same end
 * state for the fields the manifest sets.
 */
@FunctionalInterface
public interface ApplyStrategy {

    String FIELD_MANAGER = "node-agent";

    /**
     * @param live the object as read just before, or null when absent
     * @return the object as the server returned it
     */
    GenericKubernetesResource apply(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> op, GenericKubernetesResource desired, GenericKubernetesResource live);

    ApplyStrategy SERVER_SIDE_APPLY = (op, desired, live) ->
            op.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();

    ApplyStrategy CREATE_OR_EDIT = (op, desired, live) -> {
        if (live == null) {
            return op.resource(desired).create();
        }
        return op.withName(desired.getMetadata().getName()).edit(current -> {
            GenericKubernetesResource copy = new GenericKubernetesResource();
            copy.setApiVersion(current.getApiVersion());
            copy.setKind(current.getKind());
            copy.setMetadata(current.getMetadata());
            copy.setAdditionalProperties(overlay(current.getAdditionalProperties(), desired.getAdditionalProperties()));
            Map<String, String> labels = new LinkedHashMap<>();
            if (current.getMetadata().getLabels() != null) {
                labels.putAll(current.getMetadata().getLabels());
            }
            if (desired.getMetadata().getLabels() != null) {
                labels.putAll(desired.getMetadata().getLabels());
            }
            copy.getMetadata().setLabels(labels);
            Map<String, String> annotations = new LinkedHashMap<>();
            if (current.getMetadata().getAnnotations() != null) {
                annotations.putAll(current.getMetadata().getAnnotations());
            }
            if (desired.getMetadata().getAnnotations() != null) {
                annotations.putAll(desired.getMetadata().getAnnotations());
            }
            copy.getMetadata().setAnnotations(annotations);
            return copy;
        });
    };

    /** Maps merge key by key; anything else (lists, scalars) is replaced by the manifest's value. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> overlay(Map<String, Object> base, Map<String, Object> top) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        top.forEach((k, v) -> {
            Object b = out.get(k);
            if (v instanceof Map<?, ?> vm && b instanceof Map<?, ?> bm) {
                out.put(k, overlay((Map<String, Object>) bm, (Map<String, Object>) vm));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
