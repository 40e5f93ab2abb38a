package dev.nodeagent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodeagent.agent.kube.HttpsApiStub;
import dev.nodeagent.agent.kube.TestKubeconfig;
import dev.nodeagent.agent.kube.TestPki;
import dev.nodeagent.kube.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/** The exact production write of bootstrap-manifests (server-side apply), which fabric8's mock answers with 415. */
class ServerSideApplyRequestTest {

    @TempDir
    Path dir;

    @Test
    void aChangedObjectIsServerSideAppliedWithFieldManagerNodeAgentAndForce() throws Exception {
        TestPki pki = new TestPki("kube-admin", "system:masters");
        pki.writeBundle(dir.resolve("certs"), "kube-admin");
        String live = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"calico-config","namespace":"kube-system",
                 "labels":{"node-agent.dev/managed-by":"bootstrap-manifests"}},"data":{"veth_mtu":"1440"}}""";
        try (HttpsApiStub api = new HttpsApiStub(pki.serverContext(), r -> new HttpsApiStub.Response(200, live))) {
            Path kc = dir.resolve("admin.conf");
            TestKubeconfig.withClientCert(kc, api.url(), dir.resolve("certs/ca.crt").toString(),
                    dir.resolve("certs/kube-admin.crt").toString(), dir.resolve("certs/kube-admin.key").toString());
            var loaded = (Kubeconfigs.Loaded) Kubeconfigs.load(kc, kc.toString(), p -> p, Duration.ofSeconds(10), null);
            List<Manifest> manifests = new ArrayList<>();
            ManifestLoader.parseFile("cm.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: calico-config, namespace: kube-system}
                    data: {veth_mtu: "${CALICO_MTU}"}
                    """, Map.of("CALICO_MTU", "1230"), manifests, new ArrayList<>());
            try (KubernetesClient client = Kubeconfigs.client(loaded.config())) {
                var report = new ClusterApplier(client, ApplyStrategy.SERVER_SIDE_APPLY).apply(manifests, false, false);
                assertEquals(ClusterApplier.Action.UPDATE, report.items().getFirst().action(), report.toString());
            }
            assertEquals(2, api.requests.size(), api.requests.toString());
            assertEquals("GET /api/v1/namespaces/kube-system/configmaps/calico-config",
                    api.requests.get(0).method() + " " + api.requests.get(0).pathAndQuery());
            HttpsApiStub.Request apply = api.requests.get(1);
            assertEquals("PATCH /api/v1/namespaces/kube-system/configmaps/calico-config?fieldManager=node-agent&force=true",
                    apply.method() + " " + apply.pathAndQuery());
            assertEquals("application/apply-patch+yaml", apply.contentType());
            ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree("""
                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"calico-config","namespace":"kube-system",
                     "labels":{"node-agent.dev/managed-by":"bootstrap-manifests"}},"data":{"veth_mtu":"1230"}}"""),
                    json.readTree(apply.body()), apply.body());
        }
    }
}
