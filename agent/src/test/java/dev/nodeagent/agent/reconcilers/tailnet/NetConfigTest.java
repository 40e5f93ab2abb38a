package dev.nodeagent.agent.reconcilers.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.reconcilers.prereqs.NodePrereqsReconciler;
import dev.nodeagent.api.status.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code tailnet} and {@code nodePrereqs} sections: defaults, the shipped examples, and bad values by line. */
class NetConfigTest {

    static final ConfigLoader LOADER = new ConfigLoader(Reconcilers.configSections(), "node1");

    @Test
    void defaultsAreTheProductionOnes() throws ConfigException {
        AgentConfig c = LOADER.parse("node: {role: worker}\n", "agent.yaml");
        TailnetReconciler.Settings t = c.settings("tailnet", TailnetReconciler.Settings.class);
        assertEquals("tailscale0", t.iface());
        assertEquals(1280, t.expectedMtu());
        assertEquals(true, t.required());
        assertEquals("100.64.0.0/10", t.tailnetCidr().text());
        assertEquals(Encapsulation.VXLAN, t.encapsulation());
        assertEquals("/etc/cni/net.d/10-calico.conflist", t.cniConflist());
        NodePrereqsReconciler.Settings p = c.settings("nodePrereqs", NodePrereqsReconciler.Settings.class);
        assertEquals(Severity.FAILURE, p.ipForward().severity());
        assertEquals(false, p.ipForward().fix());
        assertEquals("/run/containerd/containerd.sock", p.runtimeSocket());
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker.yaml", "control-plane.yaml", "demo.yaml"})
    void theShippedExamplesLoad(String file) throws Exception {
        // The demo's hostRoot is filled in by `node-agent demo`; any existing directory will do here.
        String text = Files.readString(Path.of("..", "config", file)).replaceFirst("(?m)^hostRoot: .*$", "hostRoot: /");
        AgentConfig c = LOADER.parse(text, file);
        assertEquals(!file.equals("demo.yaml"),
                c.settings("tailnet", TailnetReconciler.Settings.class).required(), "only the demo makes it optional");
    }

    @Test
    void badValuesAreReportedWithLineAndKey() {
        String yaml = """
                node: {role: worker}
                reconcilers:
                  tailnet:
                    tailnetCidr: 100.64.0.0
                    controlPlaneEndpoints: [https://cp1:6443]
                    encapsulation: gre
                  nodePrereqs:
                    ipForward: {severity: fatal}
                    runtimeSocket: {path: run/containerd.sock}
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse(yaml, "agent.yaml"));
        assertEquals(List.of(
                "agent.yaml:4: reconcilers.tailnet.tailnetCidr: must be an address range like 100.64.0.0/10, not '100.64.0.0'",
                "agent.yaml:5: reconcilers.tailnet.controlPlaneEndpoints: 'https://cp1:6443' is not a host name or IP address (no scheme, port or path)",
                "agent.yaml:6: reconcilers.tailnet.encapsulation: must be one of none, vxlan, ipip, wireguard, not 'gre'",
                "agent.yaml:8: reconcilers.nodePrereqs.ipForward.severity: must be one of failure, warning, not 'fatal'",
                "agent.yaml:9: reconcilers.nodePrereqs.runtimeSocket.path: must be an absolute path"),
                e.problems().stream().map(Object::toString).toList());
    }
}
