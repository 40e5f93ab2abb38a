package dev.nodeagent.agent.reconcilers.kubeconfigs;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.ClusterBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds one kubeconfig with fabric8's model ({@link Config}: one cluster, one user, one context, current) and
 * serialises it with fabric8's YAML writer — no text templates, so quoting and key names are always right. The
 * output is deterministic (same input → same bytes), which is what lets the writer leave unchanged files alone.
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

    // Building the mapper is the expensive part; one per renderer, reused every pass.
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public Config build(String clusterName, KubeconfigFile file, CertMaterial certs) {
        Base64.Encoder b64 = Base64.getEncoder();
        ClusterBuilder cluster = new ClusterBuilder().withServer(file.server());
        AuthInfoBuilder user = new AuthInfoBuilder();
        if (certs.embedded()) {
            cluster.withCertificateAuthorityData(b64.encodeToString(certs.ca()));
            user.withClientCertificateData(b64.encodeToString(certs.cert()))
                    .withClientKeyData(b64.encodeToString(certs.key()));
        } else {
            // Referenced by the bundle's stable paths: a rotation swaps the files and needs no rewrite here.
            cluster.withCertificateAuthority(certs.caPath());
            user.withClientCertificate(certs.certPath()).withClientKey(certs.keyPath());
        }
        Cluster c = cluster.build();
        AuthInfo u = user.build();
        return new ConfigBuilder().withApiVersion("v1").withKind("Config")
                .addToClusters(new NamedClusterBuilder().withName(clusterName).withCluster(c).build())
                .addToUsers(new NamedAuthInfoBuilder().withName(file.user()).withUser(u).build())
                .addToContexts(new NamedContextBuilder().withName(file.context()).withNewContext()
                        .withCluster(clusterName).withUser(file.user()).endContext().build())
                .withCurrentContext(file.context())
                .build();
    }

    public byte[] render(String clusterName, KubeconfigFile file, CertMaterial certs) {
        return serialization.asYaml(build(clusterName, file, certs)).getBytes(StandardCharsets.UTF_8);
    }
}
