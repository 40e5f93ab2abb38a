package dev.nodeagent.manifests;

import java.util.Map;

/**
 * One YAML document from a manifest file: {@code document} counts from 1 within {@code file}. {@code body} is the
 * parsed object (plain maps, lists and scalars) with variables already substituted.
 */
public record Manifest(String file, int document, Map<String, Object> body) {

    public Manifest {
        body = Map.copyOf(body);
    }

    public String apiVersion() {
        return (String) body.get("apiVersion");
    }

    public String kind() {
        return (String) body.get("kind");
    }

    public String name() {
        return (String) metadata().get("name");
    }

    /** The namespace as written, or null (cluster-scoped, or the default for namespaced kinds). */
    public String namespace() {
        Object ns = metadata().get("namespace");
        return ns == null ? null : ns.toString();
    }

    /** The API group, "" for the core group. */
    public String group() {
        String v = apiVersion();
        int slash = v.indexOf('/');
        return slash < 0 ? "" : v.substring(0, slash);
    }

    public String version() {
        String v = apiVersion();
        return v.substring(v.indexOf('/') + 1);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        Object m = body.get("metadata");
        return m instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** {@code DaemonSet kube-system/calico-node}: how messages and the diff name the object. */
    public String ref() {
        return kind() + " " + (namespace() == null ? "" : namespace() + "/") + name();
    }

    /** {@code calico.yaml#2}: where it came from. */
    public String origin() {
        return file + "#" + document;
    }
}
