package dev.nodeagent.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the cluster to a set of manifests. Per object, in {@link ApplyOrder}: read it, compare with
 * {@link LiveDiff}, and write only when it differs (or when forced), so a steady-state pass is reads only. Custom
 * resources wait until the CRD that defines them (when it is in the set) reports {@code Established=True}; they are
 * {@code DEFERRED} until then. One object's failure is reported and the rest go on. Every applied object carries
 * {@link #LABEL}; {@code prune} deletes labelled objects of the set's kinds that are no longer in the set (never
 * Namespaces or CRDs: deleting those deletes everything in them). {@link #plan} is the same comparison without
 * writing ({@code agentctl diff}).
 */
public final class ClusterApplier {

    /** The label on everything this applier wrote; only such objects are ever pruned. */
    public static final String LABEL = "node-agent.dev/managed-by";
    public static final String LABEL_VALUE = "bootstrap-manifests";

    public enum Action { CREATE, UPDATE, UNCHANGED, DEFERRED, FAILED, DELETE }

    /** What happened (or would happen) to one object; {@code detail} lists differences or the error. */
    public record Item(String ref, String origin, Action action, List<String> detail) {
    }

    public record Report(List<Item> items) {
        public long count(Action a) {
            return items.stream().filter(i -> i.action() == a).count();
        }

        public boolean changed() {
            return items.stream().anyMatch(i -> i.action() == Action.CREATE || i.action() == Action.UPDATE
                    || i.action() == Action.DELETE);
        }
    }

    private final KubernetesClient client;
    private final ApplyStrategy strategy;
    private final KubernetesSerialization json;

    public ClusterApplier(KubernetesClient client, ApplyStrategy strategy) {
        this.client = client;
        this.strategy = strategy;
        this.json = client.getKubernetesSerialization();
    }

    /** The read-only comparison: what {@link #apply} would do. */
    public Report plan(List<Manifest> manifests) {
        return run(manifests, false, false, false);
    }

    /**
     * @param force apply every object even when it looks unchanged (an operator's resync)
     * @param prune delete labelled objects that are no longer in the set
     */
    public Report apply(List<Manifest> manifests, boolean force, boolean prune) {
        return run(manifests, true, force, prune);
    }

    private Report run(List<Manifest> manifests, boolean write, boolean force, boolean prune) {
        List<Item> items = new ArrayList<>();
        Map<String, Map<String, Object>> crds = new LinkedHashMap<>(); // "group/Kind" → CRD manifest
        Map<String, GenericKubernetesResource> crdLive = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            if (ApplyOrder.isCrd(m)) {
                crds.put(crdKey(m.body()), m.body());
            }
        }
        for (Manifest m : ApplyOrder.sort(manifests)) {
            String key = m.group() + "/" + m.kind();
            try {
                if (write && crds.containsKey(key) && !established(crdLive.get(key))) {
                    items.add(new Item(m.ref(), m.origin(), Action.DEFERRED,
                            List.of("its CustomResourceDefinition is not Established yet")));
                    continue;
                }
                var op = scoped(m, crds.get(key));
                Map<String, Object> body = labelled(m.body());
                GenericKubernetesResource desired = json.convertValue(body, GenericKubernetesResource.class);
                GenericKubernetesResource live = op.withName(m.name()).get();
                List<String> diff = live == null ? List.of() : LiveDiff.differences(body, asMap(live));
                Action action = live == null ? Action.CREATE : diff.isEmpty() ? Action.UNCHANGED : Action.UPDATE;
                if (write && (action != Action.UNCHANGED || force)) {
                    live = strategy.apply(op, desired, live);
                }
                if (ApplyOrder.isCrd(m) && live != null) {
                    crdLive.put(crdKey(m.body()), live);
                }
                items.add(new Item(m.ref(), m.origin(), action, diff));
            } catch (KubernetesClientException e) {
                items.add(new Item(m.ref(), m.origin(), Action.FAILED, List.of(describe(e))));
            } catch (RuntimeException e) {
                items.add(new Item(m.ref(), m.origin(), Action.FAILED, List.of(String.valueOf(e.getMessage()))));
            }
        }
        if (prune) {
            items.addAll(prune(manifests, crds, write));
        }
        return new Report(List.copyOf(items));
    }

    private List<Item> prune(List<Manifest> manifests, Map<String, Map<String, Object>> crds, boolean write) {
        List<Item> out = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        Map<String, Manifest> kinds = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            wanted.add(m.apiVersion() + "|" + m.kind() + "|" + ns(m) + "|" + m.name());
            if (!ApplyOrder.isCrd(m) && !(m.kind().equals("Namespace") && m.group().isEmpty())) {
                kinds.putIfAbsent(m.apiVersion() + "|" + m.kind(), m);
            }
        }
        for (Manifest sample : kinds.values()) {
            try {
                Map<String, Object> crd = crds.get(sample.group() + "/" + sample.kind());
                var op = kind(sample, crd);
                var any = isNamespaced(sample, crd)
                        ? op.inAnyNamespace().withLabel(LABEL, LABEL_VALUE).list()
                        : op.withLabel(LABEL, LABEL_VALUE).list();
                for (GenericKubernetesResource r : any.getItems()) {
                    String ns = r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace();
                    String id = sample.apiVersion() + "|" + sample.kind() + "|" + ns + "|" + r.getMetadata().getName();
                    if (wanted.contains(id)) {
                        continue;
                    }
                    String ref = sample.kind() + " " + (ns.isEmpty() ? "" : ns + "/") + r.getMetadata().getName();
                    if (write) {
                        (ns.isEmpty() ? op : op.inNamespace(ns)).withName(r.getMetadata().getName()).delete();
                    }
                    out.add(new Item(ref, "(no longer in the manifests)", Action.DELETE, List.of()));
                }
            } catch (KubernetesClientException e) {
                out.add(new Item(sample.kind() + " (prune)", sample.origin(), Action.FAILED, List.of(describe(e))));
            }
        }
        return out;
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            kind(Manifest m, Map<String, Object> crd) {
        Class<? extends KubernetesResource> type = json.getRegisteredKubernetesResource(m.apiVersion(), m.kind());
        if (type != null) {
            return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type));
        }
        if (crd != null) {
            Map<String, Object> spec = child(crd, "spec");
            return client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                    .withGroup(m.group()).withVersion(m.version()).withKind(m.kind())
                    .withPlural(String.valueOf(child(spec, "names").get("plural")))
                    .withNamespaced("Namespaced".equals(spec.get("scope"))).build());
        }
        return client.genericKubernetesResources(m.apiVersion(), m.kind()); // asks API discovery
    }

    /** The operation for this object's name: in its namespace ("default" when unset) when the kind is namespaced. */
    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> scoped(Manifest m, Map<String, Object> crd) {
        var op = kind(m, crd);
        return isNamespaced(m, crd) ? op.inNamespace(ns(m).isEmpty() ? "default" : ns(m)) : op;
    }

    private boolean isNamespaced(Manifest m, Map<String, Object> crd) {
        Class<? extends KubernetesResource> type = json.getRegisteredKubernetesResource(m.apiVersion(), m.kind());
        if (type != null) {
            return ResourceDefinitionContext.fromResourceType(type).isNamespaceScoped();
        }
        if (crd != null) {
            return "Namespaced".equals(child(crd, "spec").get("scope"));
        }
        return m.namespace() != null;
    }

    private static String ns(Manifest m) {
        return m.namespace() == null ? "" : m.namespace();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String crdKey(Map<String, Object> crd) {
        Map<String, Object> spec = child(crd, "spec");
        return spec.get("group") + "/" + child(spec, "names").get("kind");
    }

    @SuppressWarnings("unchecked")
    private static boolean established(GenericKubernetesResource crd) {
        if (crd == null || !(crd.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> cm && "Established".equals(cm.get("type"))
                && "True".equals(String.valueOf(cm.get("status"))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labelled(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        Map<String, Object> meta = new LinkedHashMap<>(child(body, "metadata"));
        Map<String, Object> labels = new LinkedHashMap<>(child(meta, "labels"));
        labels.put(LABEL, LABEL_VALUE);
        meta.put("labels", labels);
        out.put("metadata", meta);
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(GenericKubernetesResource live) {
        return json.convertValue(live, Map.class);
    }

    private static String describe(KubernetesClientException e) {
        String msg = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        int nl = msg.indexOf('\n');
        String first = nl < 0 ? msg : msg.substring(0, nl);
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode() + ": " + first;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? first : "API unreachable: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
