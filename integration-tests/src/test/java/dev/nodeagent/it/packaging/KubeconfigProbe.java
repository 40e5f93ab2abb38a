package dev.nodeagent.it.packaging;

import java.lang.reflect.Method;

/**
 * Runs on the jlink runtime (no java.desktop) with the distribution's jars: parses a kubeconfig with fabric8
 * (Jackson YAML underneath), writes it back as YAML, and builds and closes a client on the JDK HTTP client.
 * Reflection only, so this test module needs no fabric8 dependency. Prints "probe ok ..." or fails with exit 1.
 */
public final class KubeconfigProbe {

    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: home
              cluster:
                server: https://cp1.tail1234.ts.net:6443
                insecure-skip-tls-verify: true
            users:
            - name: kubelet
              user:
                token: not-a-real-token
            contexts:
            - name: kubelet@home
              context: {cluster: home, user: kubelet, namespace: kube-system}
            current-context: kubelet@home
            """;

    private KubeconfigProbe() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> configClass = Class.forName("io.fabric8.kubernetes.client.Config");
        Object config = configClass.getMethod("fromKubeconfig", String.class).invoke(null, KUBECONFIG);
        String master = (String) configClass.getMethod("getMasterUrl").invoke(config);
        String namespace = (String) configClass.getMethod("getNamespace").invoke(config);

        Class<?> utils = Class.forName("io.fabric8.kubernetes.client.internal.KubeConfigUtils");
        Object parsed = utils.getMethod("parseConfigFromString", String.class).invoke(null, KUBECONFIG);
        Method asYaml = Class.forName("io.fabric8.kubernetes.client.utils.Serialization").getMethod("asYaml", Object.class);
        String yaml = (String) asYaml.invoke(null, parsed);
        Object reparsed = utils.getMethod("parseConfigFromString", String.class).invoke(null, yaml);
        if (!master.contains("cp1.tail1234.ts.net:6443") || !"kube-system".equals(namespace)
                || !yaml.contains("https://cp1.tail1234.ts.net:6443") || !asYaml.invoke(null, reparsed).equals(yaml)) {
            System.out.println("probe mismatch: master=" + master + " namespace=" + namespace + "\n" + yaml);
            System.exit(1);
        }

        Object builder = Class.forName("io.fabric8.kubernetes.client.KubernetesClientBuilder").getConstructor().newInstance();
        builder.getClass().getMethod("withConfig", configClass).invoke(builder, config);
        AutoCloseable client = (AutoCloseable) builder.getClass().getMethod("build").invoke(builder);
        String httpClient = client.getClass().getMethod("getHttpClient").invoke(client).getClass().getName();
        client.close();
        boolean desktop = ModuleLayer.boot().findModule("java.desktop").isPresent();
        System.out.println("probe ok: master=" + master + " namespace=" + namespace + " http=" + httpClient
                + " java.desktop=" + desktop + " yaml-bytes=" + yaml.length());
    }
}
