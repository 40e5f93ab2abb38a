package dev.nodeagent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loading, ordering and comparing manifests: pure logic, no cluster. */
class ManifestLoaderTest {

    @Test
    void documentsAreNumberedFromOnePerFileAndEmptyOnesAreNotCounted() {
        List<Manifest> out = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        ManifestLoader.parseFile("f.yaml", """
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                kind: ConfigMap
                metadata: {name: b}
                """, Map.of(), out, problems);
        assertEquals(List.of("f.yaml#1"), out.stream().map(Manifest::origin).toList());
        assertEquals(List.of("f.yaml: document 2: missing apiVersion"), problems.stream().map(Object::toString).toList());
    }

    @Test
    void variablesAreSubstitutedBeforeParsing() {
        List<Manifest> out = new ArrayList<>();
        ManifestLoader.parseFile("f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                + "data: {mtu: \"${CALICO_MTU}\"}\n", Map.of("CALICO_MTU", "1230"), out, new ArrayList<>());
        assertEquals(Map.of("mtu", "1230"), out.getFirst().body().get("data"));
    }

    @Test
    void theShippedCalicoSetLoadsWithoutProblemsInApplyOrder() {
        Path dir = Path.of(System.getProperty("nodeagent.repo", ".."), "config/manifests");
        ManifestLoader.Result r = ManifestLoader.load(List.of(dir), List.of("/etc/node-agent/manifests"),
                Map.of("CALICO_MTU", "1230"));
        assertEquals(List.of(), r.problems());
        List<String> kinds = ApplyOrder.sort(r.manifests()).stream().map(Manifest::kind).distinct().toList();
        assertEquals(List.of("CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
                "ConfigMap", "DaemonSet", "IPPool"), kinds);
    }

    @Test
    void liveObjectsWithServerDefaultsMatchAndRealDifferencesAreNamed() {
        Map<String, Object> want = Map.of("spec", Map.of("ports", List.of(Map.of("port", 443)), "mtu", "1230"));
        Map<String, Object> have = Map.of("spec", Map.of("ports", List.of(Map.of("port", 443L, "protocol", "TCP")),
                "mtu", "1230", "defaulted", true), "status", Map.of());
        assertEquals(List.of(), LiveDiff.differences(want, have));
        Map<String, Object> drifted = Map.of("spec", Map.of("ports", List.of(Map.of("port", 443)), "mtu", "1440"));
        assertEquals(List.of("spec.mtu: want \"1230\", have \"1440\""), LiveDiff.differences(want, drifted));
    }
}
