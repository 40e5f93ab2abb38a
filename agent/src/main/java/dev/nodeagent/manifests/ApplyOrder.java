package dev.nodeagent.manifests;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.List;

/**
 * The deterministic apply order: CustomResourceDefinitions, then Namespaces, then the built-in kinds, then custom
 * resources (kinds fabric8 does not know, e.g. Calico's IPPool); within a rank, file path then document number, as
 * loaded. The reverse is the order to delete in.
 */
public final class ApplyOrder {

    private static final KubernetesSerialization TYPES = new KubernetesSerialization();

    private ApplyOrder() {
    }

    public static List<Manifest> sort(List<Manifest> manifests) {
        return manifests.stream().sorted(Comparator.comparingInt(ApplyOrder::rank)).toList(); // stable
    }

    static int rank(Manifest m) {
        if (isCrd(m)) {
            return 0;
        }
        if (m.kind().equals("Namespace") && m.group().isEmpty()) {
            return 1;
        }
        return isBuiltIn(m) ? 2 : 3;
    }

    public static boolean isCrd(Manifest m) {
        return m.kind().equals("CustomResourceDefinition") && m.group().equals("apiextensions.k8s.io");
    }

    public static boolean isBuiltIn(Manifest m) {
        return TYPES.getRegisteredKubernetesResource(m.apiVersion(), m.kind()) != null;
    }
}
