package dev.nodeagent.agent.reconcilers.kubeconfigs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * Builds one kubeconfig (one cluster, one user, one context, current) and serialises it with snakeyaml-engine's
 * emitter — no text templates, so quoting and escaping are always right. The output is deterministic (same input →
 * same bytes), which is what lets the writer leave unchanged files alone.
 * <p>
 * The bytes are exactly what fabric8's {@code KubernetesSerialization.asYaml} makes of its {@code Config} model
 * (same key order, same emitter settings, string values double-quoted, keys plain): {@code KubeconfigRendererTest}
 * compares the two. fabric8 is not used here because it cost a worker ≈220 classes (its model, Jackson databind's
 * bean serialisers for it, the Jackson-2 annotations) in the daemon's AOT cache, all of them resident, for what is
 * a five-key document.
 */
public final class KubeconfigRenderer {

    /**
     * Where the certs are: host paths referenced by the kubeconfig, or — when {@code embed} — their bytes. The
     * key bytes are only ever base64'd into the file; this record's {@code toString} never shows them.
     */
    public record CertMaterial(String caPath, String certPath, String keyPath, byte[] ca, byte[] cert, byte[] key) {
        public static CertMaterial referenced(String caPath, String certPath, String keyPath) {
            return new CertMaterial(caPath, certPath, keyPath, null, null, null);
        }

        public boolean embedded() {
            return ca != null;
        }

        @Override
        public String toString() {
            return "CertMaterial[" + caPath + ", " + certPath + ", " + keyPath + (embedded() ? ", embedded" : "") + "]";
        }
    }

    private static final DumpSettings SETTINGS = DumpSettings.builder()
            .setExplicitStart(true)
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .build();

    /**
     * The kubeconfig as ordered maps, keys in the order fabric8's model serialises them (its
     * {@code @JsonPropertyOrder}s; null and empty properties left out).
     */
    Map<String, Object> build(String clusterName, KubeconfigFile file, CertMaterial certs) {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> cluster = new LinkedHashMap<>();
        Map<String, Object> user = new LinkedHashMap<>();
        if (certs.embedded()) {
            cluster.put("certificate-authority-data", b64.encodeToString(certs.ca()));
            putIfNotNull(cluster, "server", file.server());
            user.put("client-certificate-data", b64.encodeToString(certs.cert()));
            user.put("client-key-data", b64.encodeToString(certs.key()));
        } else {
            // Referenced by the bundle's stable paths: a rotation swaps the files and needs no rewrite here.
            putIfNotNull(cluster, "certificate-authority", certs.caPath());
            putIfNotNull(cluster, "server", file.server());
            putIfNotNull(user, "client-certificate", certs.certPath());
            putIfNotNull(user, "client-key", certs.keyPath());
        }
        Map<String, Object> context = new LinkedHashMap<>();
        putIfNotNull(context, "cluster", clusterName);
        putIfNotNull(context, "user", file.user());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(entry("cluster", cluster, clusterName)));
        config.put("contexts", List.of(entry("context", context, file.context())));
        putIfNotNull(config, "current-context", file.context());
        config.put("users", List.of(namedUser(file.user(), user)));
        return config;
    }

    /** fabric8's NamedCluster / NamedContext: the object, then its name. */
    private static Map<String, Object> entry(String key, Map<String, Object> value, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        putIfNotNull(m, "name", name);
        return m;
    }

    /** fabric8's NamedAuthInfo: the name, then the user. */
    private static Map<String, Object> namedUser(String name, Map<String, Object> user) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfNotNull(m, "name", name);
        m.put("user", user);
        return m;
    }

    private static void putIfNotNull(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    public byte[] render(String clusterName, KubeconfigFile file, CertMaterial certs) {
        return new Dump(SETTINGS, new QuotingRepresenter(SETTINGS)).dumpToString(build(clusterName, file, certs))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * fabric8's representer: string values double-quoted, keys plain. (fabric8 also quotes a one-letter y/Y/n/N
     * key; no key here is one letter.)
     */
    private static final class QuotingRepresenter extends StandardRepresenter {
        private boolean quote = true;

        QuotingRepresenter(DumpSettings settings) {
            super(settings);
        }

        @Override
        protected NodeTuple representMappingEntry(Map.Entry<?, ?> entry) {
            quote = false;
            Node keyNode = representData(entry.getKey());
            quote = true;
            return new NodeTuple(keyNode, representData(entry.getValue()));
        }

        @Override
        protected Node representScalar(Tag tag, String value, ScalarStyle style) {
            if (style == ScalarStyle.PLAIN) {
                style = quote && tag == Tag.STR ? ScalarStyle.DOUBLE_QUOTED : defaultScalarStyle;
            }
            return new ScalarNode(tag, value, style);
        }
    }
}
