package dev.nodeagent.agent.reconcilers.kubeconfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigRenderer.CertMaterial;
import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.ClusterBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The renderer writes kubeconfigs without fabric8 (fewer classes in the daemon); its bytes must stay exactly what
 * fabric8's model and YAML writer made, which existing nodes' files were written with (a different byte would
 * rewrite every kubeconfig once and restart kubelet's hooks for nothing).
 */
class KubeconfigRendererTest {

    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    /** What the renderer did before: fabric8's Config model, serialised by fabric8. */
    static byte[] fabric8(String clusterName, KubeconfigFile file, CertMaterial certs) {
        Base64.Encoder b64 = Base64.getEncoder();
        ClusterBuilder cluster = new ClusterBuilder().withServer(file.server());
        AuthInfoBuilder user = new AuthInfoBuilder();
        if (certs.embedded()) {
            cluster.withCertificateAuthorityData(b64.encodeToString(certs.ca()));
            user.withClientCertificateData(b64.encodeToString(certs.cert()))
                    .withClientKeyData(b64.encodeToString(certs.key()));
        } else {
            cluster.withCertificateAuthority(certs.caPath());
            user.withClientCertificate(certs.certPath()).withClientKey(certs.keyPath());
        }
        Config config = new ConfigBuilder().withApiVersion("v1").withKind("Config")
                .addToClusters(new NamedClusterBuilder().withName(clusterName).withCluster(cluster.build()).build())
                .addToUsers(new NamedAuthInfoBuilder().withName(file.user()).withUser(user.build()).build())
                .addToContexts(new NamedContextBuilder().withName(file.context()).withNewContext()
                        .withCluster(clusterName).withUser(file.user()).endContext().build())
                .withCurrentContext(file.context())
                .build();
        return FABRIC8.asYaml(config).getBytes(StandardCharsets.UTF_8);
    }

    static KubeconfigFile file(String user, String context, String server) {
        return new KubeconfigFile("kubelet", "/var/lib/kubelet/kubeconfig", user, "kubelet", context, server, false,
                null, List.of());
    }

    static void assertSameAsFabric8(String cluster, KubeconfigFile file, CertMaterial certs) {
        String expected = new String(fabric8(cluster, file, certs), StandardCharsets.UTF_8);
        String actual = new String(new KubeconfigRenderer().render(cluster, file, certs), StandardCharsets.UTF_8);
        assertEquals(expected, actual);
    }

    @Test
    void referencedCertsGiveFabric8sBytes() {
        KubeconfigFile f = file("system:node:n1", "system:node:n1@ducksnest-k8s", "https://100.64.0.1:6443");
        CertMaterial certs = CertMaterial.referenced("/run/node-agent/certs/ca.crt", "/run/node-agent/certs/kubelet.crt",
                "/run/node-agent/certs/kubelet.key");
        assertSameAsFabric8("ducksnest-k8s", f, certs);
        String yaml = new String(new KubeconfigRenderer().render("ducksnest-k8s", f, certs), StandardCharsets.UTF_8);
        assertTrue(yaml.startsWith("---\napiVersion: \"v1\"\nkind: \"Config\"\nclusters:\n"), yaml);
    }

    @Test
    void embeddedCertsGiveFabric8sBytesIncludingLongBase64Lines() {
        Random r = new Random(42);
        for (int size : new int[] {0, 1, 57, 58, 600, 1700, 4000}) {
            byte[] ca = new byte[size];
            byte[] cert = new byte[size + 3];
            byte[] key = new byte[Math.max(0, size - 5)];
            r.nextBytes(ca);
            r.nextBytes(cert);
            r.nextBytes(key);
            assertSameAsFabric8("c", file("system:kube-proxy", "default", "https://[fd7a:115c::1]:6443"),
                    new CertMaterial(null, null, null, ca, cert, key));
        }
    }

    @Test
    void awkwardStringsAreQuotedAndEscapedLikeFabric8() {
        List<String> odd = new ArrayList<>(List.of("", "y", "n", "Y", "N", "yes", "no", "true", "null", "~", "1",
                "0x10", "1e3", "-", "- a", "a: b", "a #b", "#", "@x", "`x", "'x'", "\"x\"", "x\\y", "multi\nline",
                "tab\there", " lead", "trail ", "ünïcödé", "emoji \uD83D\uDE00", "*ref", "&anchor", "!tag", "%x",
                "{a}", "[a]", "a,b", "?", ">", "|", "very-long-" + "x".repeat(200), "sp ace ".repeat(30)));
        for (String s : odd) {
            assertSameAsFabric8(s, file(s, s, s), CertMaterial.referenced(s, s, s));
        }
    }

    @Test
    void absentValuesAreLeftOutLikeFabric8() {
        assertSameAsFabric8("c", file("u", "ctx", null), CertMaterial.referenced(null, null, null));
        assertSameAsFabric8("c", file("u", "ctx", null), new CertMaterial(null, null, null, new byte[1], new byte[2],
                new byte[3]));
    }
}
