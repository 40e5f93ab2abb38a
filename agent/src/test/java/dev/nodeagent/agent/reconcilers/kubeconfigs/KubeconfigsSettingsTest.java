package dev.nodeagent.agent.reconcilers.kubeconfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeconfigsSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http server          | 'server: http://100.64.0.1:6443'                         | agent.yaml:6: reconcilers.kubeconfigs.server: must be an https URL with a host
            new name without path | 'files: [{name: extra, user: me, cert: me}]'            | reconcilers.kubeconfigs.files[0].path: is required for 'extra'
            cert with a slash    | 'files: [{name: kubelet, cert: ../kubelet}]'             | reconcilers.kubeconfigs.files[0].cert: must be a cert name from the bundle
            bad mode             | 'files: [{name: kubelet, mode: 0999}]'                   | reconcilers.kubeconfigs.files[0].mode: must be an octal file mode like 0600
            listed twice         | 'files: [{name: kubelet}, {name: kubelet}]'              | reconcilers.kubeconfigs.files[1].name: 'kubelet' is listed twice
            two on one path      | 'files: [{name: kube-proxy, path: /var/lib/kubelet/kubeconfig}]' | kubeconfigs 'kubelet' and 'kube-proxy' both write /var/lib/kubelet/kubeconfig
            unknown key          | 'files: [{name: kubelet, usr: x}]'                       | reconcilers.kubeconfigs.files[0].usr
            copy and embed       | 'files: [{name: kube-proxy, embed: true, copyCertsTo: /var/lib/kube-proxy/pki}]' | reconcilers.kubeconfigs.files[0].copyCertsTo: embed: true already puts the certs in the file
            mountedAt alone      | 'files: [{name: kube-proxy, mountedAt: /host/pki}]'      | reconcilers.kubeconfigs.files[0].mountedAt: only means something with copyCertsTo
            relative copy dir    | 'files: [{name: kube-proxy, copyCertsTo: pki}]'          | reconcilers.kubeconfigs.files[0].copyCertsTo
            """)
    void badConfigIsReportedWithItsKeyPath(String name, String line, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> KubeconfigsFixture.settings("worker", line));
        assertTrue(ConfigLoader.describe(e).contains(expected), ConfigLoader.describe(e));
    }

    @Test
    void entriesOverrideDefaultsFieldByFieldAndCanDropOrAddOne() throws Exception {
        var s = KubeconfigsFixture.settings("worker", """
                clusterName: ducksnest-k8s
                server: https://100.64.0.1:6443
                files:
                  - name: kubelet
                    mode: 0640
                    group: kubelet
                    onChange: systemctl try-restart kubelet.service
                  - name: kube-proxy
                    enabled: false
                  - name: monitoring
                    path: /etc/monitoring/kubeconfig
                    user: monitoring
                    cert: monitoring
                    server: https://127.0.0.1:6443
                """);
        assertEquals(List.of("kubelet", "calico-cni", "monitoring"), s.files().stream().map(KubeconfigFile::name).toList());
        KubeconfigFile kubelet = s.files().getFirst();
        assertEquals("/var/lib/kubelet/kubeconfig", kubelet.path());
        assertEquals("system:node:n1", kubelet.user());
        assertEquals(0640, kubelet.mode().mode());
        assertEquals("kubelet", kubelet.mode().group());
        assertEquals("systemctl try-restart kubelet.service", kubelet.onChange().getFirst().command());
        KubeconfigFile extra = s.files().get(2);
        assertEquals("https://127.0.0.1:6443", extra.server());
        assertEquals("monitoring@ducksnest-k8s", extra.context());
        assertEquals("https://100.64.0.1:6443", s.files().get(1).server());
    }
}
