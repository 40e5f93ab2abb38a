package dev.nodeagent.agent.reconcilers.cniconfig;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the Calico conflist in the shape Calico's own install-cni writes ({@code calico} with {@code mtu},
 * {@code calico-ipam}, {@code k8s} policy, the CNI kubeconfig; then {@code portmap}), pretty-printed with keys in
 * a fixed order, so the same settings always give the same bytes.
 */
public final class ConflistRenderer {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ConflistRenderer() {
    }

    public static byte[] render(CniConfigReconciler.Settings s, String nodeName) {
        ObjectNode root = MAPPER.createObjectNode();
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
        return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
