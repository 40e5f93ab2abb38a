package dev.nodeagent.agent.reconcilers.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.kube.TestKubeconfig;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.api.status.State;
import dev.nodeagent.manifests.ApplyStrategy;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bootstrap-manifests on fabric8's CRUD mock with the shipped Calico example set. The mock rejects server-side apply
 * (415), so these tests use {@link ApplyStrategy#CREATE_OR_EDIT}; comparing before writing is the same in both.
 */
@EnableKubernetesMockClient(crud = true)
class BootstrapManifestsReconcilerTest {

    static final Path EXAMPLES = Path.of(System.getProperty("nodeagent.repo", ".."), "config/manifests");

    KubernetesMockServer server; // a fresh one per test: each test starts from an empty cluster
    KubernetesClient client;

    @TempDir
    Path root;

    @BeforeEach
    void kubeconfig() throws Exception {
        TestKubeconfig.insecure(root.resolve("etc/kubernetes/admin.kubeconfig"), client.getConfiguration().getMasterUrl());
    }

    private BootstrapManifestsReconciler reconciler(boolean prune, String... dirs) {
        return new BootstrapManifestsReconciler(new BootstrapManifestsReconciler.Settings(List.of(dirs),
                "/etc/kubernetes/admin.kubeconfig", prune, Map.of("CALICO_MTU", "1230"), Duration.ofSeconds(30)),
                new HostPaths(root), ApplyStrategy.CREATE_OR_EDIT);
    }

    private Path examples() throws Exception {
        Path dir = root.resolve("etc/node-agent/manifests");
        Files.createDirectories(dir);
        try (var files = Files.list(EXAMPLES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static Outcome pass(BootstrapManifestsReconciler r) throws Exception {
        return r.reconcile(new ReconcileContext(Instant.now(), false, 0));
    }

    private GenericKubernetesResource ipPool() {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
                .withNamespaced(false).build()).withName("default-ipv4-ippool").get();
    }

    /** What the API server does shortly after a CRD is created; the mock never does it. */
    private void establish(String crd) {
        client.apiextensions().v1().customResourceDefinitions().withName(crd).editStatus(c -> {
            c.setStatus(new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus());
            c.getStatus().setConditions(List.of(new CustomResourceDefinitionConditionBuilder()
                    .withType("Established").withStatus("True").withReason("InitialNamesAccepted").build()));
            return c;
        });
    }

    private List<String> drainRequests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    private String mtuEnv() {
        DaemonSet ds = client.apps().daemonSets().inNamespace("kube-system").withName("calico-node").get();
        return ds.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("FELIX_VXLANMTU")).map(EnvVar::getValue).findFirst().orElseThrow();
    }

    @Test
    void theCalicoSetAppliesCrdsFirstWaitsForEstablishedThenASecondPassOnlyReads() throws Exception {
        examples();
        BootstrapManifestsReconciler r = reconciler(false, "/etc/node-agent/manifests");

        Outcome first = pass(r);
        assertEquals(State.WAITING, first.state(), first.message());
        assertEquals("CrdNotEstablished", first.reason());
        assertNull(ipPool(), "the IPPool waits for its CRD");
        assertEquals("1230", mtuEnv(), "the MTU comes from the variables");
        assertEquals("1230", client.configMaps().inNamespace("kube-system").withName("calico-config").get()
                .getData().get("veth_mtu"));
        assertNotNull(client.rbac().clusterRoleBindings().withName("calico-node").get());

        establish("ippools.crd.projectcalico.org");
        Outcome second = pass(r);
        assertEquals(State.OK, second.state(), second.message());
        assertTrue(second.changed());
        GenericKubernetesResource pool = ipPool();
        assertEquals(Map.of("cidr", "10.244.0.0/16", "blockSize", 26, "ipipMode", "Never", "vxlanMode", "CrossSubnet",
                "natOutgoing", true, "nodeSelector", "all()"), pool.getAdditionalProperties().get("spec"));
        assertEquals("bootstrap-manifests", pool.getMetadata().getLabels().get("node-agent.dev/managed-by"));

        drainRequests();
        Outcome third = pass(r);
        assertEquals(State.OK, third.state(), third.message());
        assertFalse(third.changed(), third.message());
        List<String> requests = drainRequests();
        assertEquals(List.of(), requests.stream().filter(q -> !q.startsWith("GET ")).toList(),
                "a steady-state pass sends no writes");
        assertEquals(15, requests.size(), "one read per object: " + requests);
    }

    @Test
    void aDriftedFieldIsRestoredAndOtherFieldsAreKept() throws Exception {
        examples();
        BootstrapManifestsReconciler r = reconciler(false, "/etc/node-agent/manifests");
        pass(r);
        establish("ippools.crd.projectcalico.org");
        assertEquals(State.OK, pass(r).state());
        client.apps().daemonSets().inNamespace("kube-system").withName("calico-node").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                    .filter(e -> e.getName().equals("FELIX_VXLANMTU")).forEach(e -> e.setValue("1440"));
            ds.getMetadata().setAnnotations(Map.of("deprecated.daemonset.template.generation", "7"));
            return ds;
        });
        assertEquals("1440", mtuEnv());

        Outcome o = pass(r);
        assertEquals(State.OK, o.state(), o.message());
        assertTrue(o.changed());
        assertTrue(o.message().contains("updated 1"), o.message());
        assertEquals("1230", mtuEnv());
        assertEquals("7", client.apps().daemonSets().inNamespace("kube-system").withName("calico-node").get()
                .getMetadata().getAnnotations().get("deprecated.daemonset.template.generation"),
                "a field the manifest does not set is left to its manager");
    }

    @Test
    void aMalformedDocumentIsReportedWithFileAndIndexAndTheOthersStillApply() throws Exception {
        Path dir = root.resolve("etc/m");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cms.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one, namespace: default}
                data: {a: "1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two
                data: [broken
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: three, namespace: default}
                data: {mtu: "${NOT_SET}"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: four, namespace: default}
                """);
        Outcome o = pass(reconciler(false, "/etc/m"));
        assertEquals(State.FAILED, o.state());
        assertEquals("MalformedManifest", o.reason());
        assertTrue(o.message().startsWith("/etc/m/cms.yaml: document 2: line 9: not valid YAML"), o.message());
        assertTrue(o.message().contains("(+1 more)"), o.details().toString());
        assertTrue(o.details().get("problems").toString().contains(
                "/etc/m/cms.yaml: document 3: unknown variable(s) NOT_SET"), o.details().toString());
        assertNotNull(client.configMaps().inNamespace("default").withName("one").get());
        assertNotNull(client.configMaps().inNamespace("default").withName("four").get());
        assertNull(client.configMaps().inNamespace("default").withName("three").get());
    }

    @Test
    void objectsRemovedFromTheDirectoryAreDeletedOnlyWithPruneAndOnlyIfLabelled() throws Exception {
        Path dir = root.resolve("etc/m");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("a.yaml"), cm("keep"));
        Files.writeString(dir.resolve("b.yaml"), cm("gone"));
        assertEquals(State.OK, pass(reconciler(false, "/etc/m")).state());
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("someone-elses").endMetadata().build()).create();
        Files.delete(dir.resolve("b.yaml"));

        assertEquals(State.OK, pass(reconciler(false, "/etc/m")).state());
        assertNotNull(client.configMaps().inNamespace("default").withName("gone").get(), "prune is off");

        Outcome pruned = pass(reconciler(true, "/etc/m"));
        assertEquals(State.OK, pruned.state(), pruned.message());
        assertTrue(pruned.changed());
        assertNull(client.configMaps().inNamespace("default").withName("gone").get());
        assertNotNull(client.configMaps().inNamespace("default").withName("keep").get());
        assertNotNull(client.configMaps().inNamespace("default").withName("someone-elses").get(), "not labelled");
    }

    private static String cm(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: default}\ndata: {k: v}\n";
    }
}
