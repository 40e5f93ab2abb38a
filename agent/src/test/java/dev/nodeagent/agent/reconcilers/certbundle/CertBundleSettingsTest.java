package dev.nodeagent.agent.reconcilers.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.host.Hook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertBundleSettingsTest {

    @TempDir
    Path dir;

    private AgentConfig load(String certBundle) throws IOException, ConfigException {
        Path f = dir.resolve("agent.yaml");
        Files.writeString(f, "node:\n  name: node1\n  role: worker\nreconcilers:\n  certBundle:\n" + certBundle.indent(4));
        return new ConfigLoader(Reconcilers.configSections(), "fallback").load(f);
    }

    @Test
    void defaultsFollowTheNodeNameAndTheIssue() throws Exception {
        CertBundleSettings s = load("enabled: true").settings("certBundle", CertBundleSettings.class);
        assertEquals("node1", s.host());
        assertEquals("k8s", s.ca());
        assertEquals(List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"), s.identities());
        assertEquals("/run/node-agent/certs", s.target());
        assertEquals(0400, s.ownershipOf("kubelet").keyMode());
        assertEquals(0444, s.ownershipOf("kubelet").certMode());
        assertEquals(List.of(), s.hooks());
    }

    @Test
    void perCertOwnershipOverridesTheDefaultsAndHooksTakeAListOrAShellLine() throws Exception {
        CertBundleSettings s = load("""
                secretsDir: /srv/secrets
                defaults: {owner: root, group: root}
                certs:
                  calico-cni: {group: calico, keyMode: "0440"}
                hooks:
                  - command: systemctl try-restart kubelet.service
                  - command: [/usr/bin/true, x]
                    timeout: 5s
                """).settings("certBundle", CertBundleSettings.class);
        assertEquals("/srv/secrets", s.secretsDir());
        assertEquals(new CertBundleSettings.Ownership("root", "calico", 0440, 0444), s.ownershipOf("calico-cni"));
        assertEquals(new CertBundleSettings.Ownership("root", "root", 0400, 0444), s.ownershipOf("kubelet"));
        assertEquals("systemctl try-restart kubelet.service", s.hooks().get(0).command());
        assertEquals(Duration.ofSeconds(30), s.hooks().get(0).timeout());
        assertEquals(new Hook("/usr/bin/true x", Duration.ofSeconds(5)), s.hooks().get(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            relative target        | target: run/certs                     | reconcilers.certBundle.target: must be an absolute path
            key readable by all    | defaults: {keyMode: '0444'}           | reconcilers.certBundle.defaults.keyMode: a private key must not be readable by others
            not octal              | defaults: {certMode: '0999'}          | reconcilers.certBundle.defaults.certMode: must be an octal mode like 0400
            relative identity      | identities: [ssh_host_ed25519_key]    | reconcilers.certBundle.identities: must be absolute paths
            hook without command   | 'hooks: [{timeout: 5s}]'              | reconcilers.certBundle.hooks[0].command: is required
            unknown key            | secretDir: /x                         | reconcilers.certBundle.secretDir
            cert named ca          | 'certs: {ca: {owner: root}}'          | reconcilers.certBundle.certs.ca: must be a cert name
            """)
    void badSettingsAreReportedWithTheirKeyPath(String name, String yaml, String expected) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
