package dev.nodeagent.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.kube.TestKubeconfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agentctl diff} offline against fabric8's CRUD mock: reports, never writes. */
@EnableKubernetesMockClient(crud = true)
class DiffCommandTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void showsCreatesAndFieldDifferencesWritesNothingAndExitsOneUntilInSync() throws Exception {
        Path kc = dir.resolve("kubeconfig");
        TestKubeconfig.insecure(kc, client.getConfiguration().getMasterUrl());
        Path m = dir.resolve("m");
        Files.createDirectories(m);
        Files.writeString(m.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: calico-config, namespace: kube-system}
                data: {veth_mtu: "${CALICO_MTU}"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: other, namespace: kube-system}
                data: {a: b}
                """);
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("calico-config").withLabels(Map.of("node-agent.dev/managed-by", "bootstrap-manifests"))
                .endMetadata().withData(Map.of("veth_mtu", "1440")).build()).create();

        StringWriter out = new StringWriter();
        CommandLine cl = AgentCtl.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("diff", "--kubeconfig", kc.toString(), "--var", "CALICO_MTU=1230", m.toString());

        assertEquals(1, code, out.toString());
        String text = out.toString();
        assertTrue(text.contains("~ ConfigMap kube-system/calico-config  (" + m + "/cm.yaml#1)\n"
                + "    data.veth_mtu: want \"1230\", have \"1440\"\n"), text);
        assertTrue(text.contains("+ ConfigMap kube-system/other  (" + m + "/cm.yaml#2)"), text);
        assertTrue(text.endsWith("2 to create or update, 0 unchanged, 0 problem(s)\n"), text);
        assertEquals("1440", client.configMaps().inNamespace("kube-system").withName("calico-config").get()
                .getData().get("veth_mtu"), "diff writes nothing");
        assertEquals(null, client.configMaps().inNamespace("kube-system").withName("other").get());
    }
}
