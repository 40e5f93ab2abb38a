package dev.nodeagent.agent.reconcilers.cniconfig;

import dev.nodeagent.api.json.PlainJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the Calico conflist in the shape Calico's own install-cni writes ({@code calico} with {@code mtu},
 * {@code calico-ipam}, {@code k8s} policy, the CNI kubeconfig; then {@code portmap}), pretty-printed with keys in
 * a fixed order, so the same settings always give the same bytes. The bytes are those databind's
 * {@code INDENT_OUTPUT} made of the same tree before ({@code ConflistRendererTest}); {@link PlainJson} writes them
 * without databind's classes in the daemon.
 */
public final class ConflistRenderer {

    private ConflistRenderer() {
    }

    public static byte[] render(CniConfigReconciler.Settings s, String nodeName) {
        Map<String, Object> calico = new LinkedHashMap<>();
        calico.put("type", "calico");
        calico.put("log_level", "info");
        calico.put("datastore_type", "kubernetes");
        calico.put("nodename", nodeName);
        calico.put("mtu", s.mtu());
        calico.put("ipam", object("type", "calico-ipam"));
        calico.put("policy", object("type", "k8s"));
        calico.put("kubernetes", object("kubeconfig", s.kubeconfig()));
        Map<String, Object> portmap = new LinkedHashMap<>();
        portmap.put("type", "portmap");
        portmap.put("snat", true);
        portmap.put("capabilities", object("portMappings", true));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", s.networkName());
        root.put("cniVersion", s.cniVersion());
        root.put("plugins", List.of(calico, portmap));
        return (PlainJson.writePretty(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A one-key object; unlike {@code Map.of} it takes a null value (written as {@code null}, as before). */
    private static Map<String, Object> object(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }
}
