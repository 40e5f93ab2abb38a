package dev.nodeagent.agent.reconcilers.cniconfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conflist on disk must not change by a byte when the renderer left databind: a changed file would be rewritten
 * (and the CNI hooks run) on every node at upgrade. The reference is the databind renderer it replaced.
 */
class ConflistRendererTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "k8s-pod-network | 0.3.1 | 1230  | /etc/cni/net.d/calico-kubeconfig | laptop1",
            "net \"ü\"\\x    | 1.0.0 | 65535 | NULL                              | node\u2028\u0001",
            "''              | ''    | 0     | ''                                | ''",
    })
    void rendersTheBytesDatabindRendered(String network, String cniVersion, int mtu, String kubeconfig, String node) {
        var s = new CniConfigReconciler.Settings(CniConfigReconciler.Mode.MANAGE, "/etc/cni/net.d/10-calico.conflist",
                "/opt/cni/bin", network, cniVersion, mtu, null, "tailscale0", 1280, kubeconfig, null, List.of());
        byte[] want = databindRender(s, node);
        byte[] got = ConflistRenderer.render(s, node);
        assertArrayEquals(want, got, () -> "databind:\n" + new String(want, StandardCharsets.UTF_8)
                + "\nplain:\n" + new String(got, StandardCharsets.UTF_8));
    }

    /** The renderer as it was on databind (ObjectNode tree, INDENT_OUTPUT), kept as the reference. */
    private static byte[] databindRender(CniConfigReconciler.Settings s, String nodeName) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = mapper.createObjectNode();
        root.put("name", s.networkName());
        root.put("cniVersion", s.cniVersion());
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode calico = plugins.addObject();
        calico.put("type", "calico");
        calico.put("log_level", "info");
        calico.put("datastore_type", "kubernetes");
        calico.put("nodename", nodeName);
        calico.put("mtu", s.mtu());
        calico.putObject("ipam").put("type", "calico-ipam");
        calico.putObject("policy").put("type", "k8s");
        calico.putObject("kubernetes").put("kubeconfig", s.kubeconfig());
        ObjectNode portmap = plugins.addObject();
        portmap.put("type", "portmap");
        portmap.put("snat", true);
        portmap.putObject("capabilities").put("portMappings", true);
        return (mapper.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
