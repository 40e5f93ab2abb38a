package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostsFileTest {

    // a real ssh-keygen public key
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpc34v0hRmaJTWI5o+KvnNzsX1hVMR0oywJkG3en1P6 host";

    @TempDir
    Path dir;

    private HostsFile load(String yaml) throws Exception {
        Path f = dir.resolve("hosts.yaml");
        Files.writeString(f, yaml);
        return HostsFile.load(f);
    }

    @Test
    void readsTheDocumentedSchemaWithDefaults() throws Exception {
        Files.writeString(dir.resolve("w1.pub"), "# comment\n" + KEY + "\n");
        HostsFile h = load("""
                ca: k8s
                serviceCIDR: 10.96.0.0/12
                hosts:
                  - name: cp1
                    role: control-plane
                    sshKey: "%s"
                    sans: [100.64.0.1, cp1.example.ts.net]
                  - name: w1
                    sshKeyFile: w1.pub
                """.formatted(KEY));
        assertEquals("10.96.0.1", h.firstServiceIp());
        assertEquals("k8s-ca", h.caCommonName());
        assertEquals(CertIssuer.KeyAlgorithm.ECDSA_P256, h.keyAlgorithm());
        assertEquals(365, h.leafValidityDays());
        assertEquals(3650, h.caValidityDays());
        assertEquals(2, h.hosts().size());
        assertTrue(h.hosts().get(0).controlPlane());
        assertEquals(java.util.List.of("100.64.0.1", "cp1.example.ts.net"), h.hosts().get(0).sans());
        assertEquals("ssh-ed25519", h.hosts().get(1).recipient().type());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing hosts                 | 'ca: k8s'                                                                          | hosts: a non-empty list
            control plane without CIDR    | 'hosts: [{name: cp1, role: control-plane, sshKey: "KEY"}]'                         | serviceCIDR: required
            bad CIDR                      | 'serviceCIDR: 10.96.0.0/40\nhosts: [{name: w1, sshKey: "KEY"}]'                    | serviceCIDR: '10.96.0.0/40'
            bad role                      | 'hosts: [{name: w1, role: master, sshKey: "KEY"}]'                                 | hosts[0].role: 'master'
            missing ssh key               | 'hosts: [{name: w1}]'                                                              | hosts[0].sshKey: required
            bad ssh key                   | 'hosts: [{name: w1, sshKey: "ecdsa-sha2-nistp256 AAAA"}]'                          | hosts[0].sshKey: unsupported SSH key type
            missing key file              | 'hosts: [{name: w1, sshKeyFile: nope.pub}]'                                        | hosts[0].sshKeyFile: cannot read nope.pub
            duplicate host                | 'hosts: [{name: w1, sshKey: "KEY"}, {name: w1, sshKey: "KEY"}]'                    | hosts[1].name: duplicate
            bad host name                 | 'hosts: [{name: W_1, sshKey: "KEY"}]'                                              | hosts[0].name: 'W_1'
            bad san                       | 'hosts: [{name: w1, sshKey: "KEY", sans: ["a b"]}]'                                | hosts[0].sans[0]: 'a b'
            unknown key                   | 'hosts: [{name: w1, sshKey: "KEY", san: [x]}]'                                     | hosts[0].san: unknown key
            bad key algorithm             | 'keyAlgorithm: dsa\nhosts: [{name: w1, sshKey: "KEY"}]'                            | keyAlgorithm: 'dsa'
            bad validity                  | 'leafValidityDays: -1\nhosts: [{name: w1, sshKey: "KEY"}]'                         | leafValidityDays: must be a positive
            """)
    void reportsTheFieldOfEachProblem(String name, String yaml, String expected) {
        BundleException e = assertThrows(BundleException.class, () -> load(yaml.replace("\\n", "\n").replace("KEY", KEY)));
        assertEquals("HostsFileInvalid", e.reason());
        assertTrue(e.getMessage().contains("hosts.yaml: " + expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"10.96.0.0/12, 10.96.0.1", "10.100.7.9/16, 10.100.0.1", "fd00:10:96::/108, fd00:10:96:0:0:0:0:1",
            "192.168.0.0/32, ", "10.0.0.0, ", "nope/12, "})
    void firstServiceAddressIsNetworkPlusOne(String cidr, String first) {
        assertEquals(first, HostsFile.firstAddress(cidr));
    }

    @Test
    void perCertSettingsAreReadAtTheTopAndPerHostAndTheHostWinsFieldByField() throws Exception {
        HostsFile h = load("""
                serviceCIDR: 10.96.0.0/12
                certs:
                  etcd-server: {commonName: etcd, organizations: [DucksNest], keyFormat: pkcs1}
                hosts:
                  - name: cp1
                    role: control-plane
                    sshKey: "%s"
                    certs:
                      etcd-server: {sans: [cp1, 127.0.0.1], keyFormat: pkcs8, extendedKeyUsages: [serverAuth, 1.2.3.4]}
                """.formatted(KEY));
        CertSettings s = h.settingsFor(h.hosts().getFirst(), "etcd-server");
        assertEquals("etcd", s.commonName());
        assertEquals(java.util.List.of("DucksNest"), s.organizations());
        assertEquals(java.util.List.of("cp1", "127.0.0.1"), s.sans());
        assertEquals(KeyFormat.PKCS8, s.keyFormat());
        assertEquals(java.util.List.of("serverAuth", "1.2.3.4"), s.extendedKeyUsages());
        assertEquals(null, s.keyUsages(), "not stated: renew keeps the cert's");
        assertEquals(CertSettings.NONE, h.settingsFor(h.hosts().getFirst(), "kubelet"));
    }

    @Test
    void perCertSettingErrorsNameTheField() {
        BundleException e = assertThrows(BundleException.class, () -> load("""
                certs:
                  etcd-servr: {commonName: etcd}
                  kubelet: {keyFormat: der, keyUsages: [signing], organisations: [x], keyAlgorithm: ecdsa-p256}
                  kube-proxy: {keyAlgorithm: ecdsa-p256, keyFormat: pkcs1, sans: ["not a name"]}
                hosts:
                  - {name: w1, sshKey: "%s"}
                """.formatted(KEY)));
        for (String want : java.util.List.of("certs.etcd-servr: unknown cert", "certs.kubelet.keyFormat: 'der' is not one of",
                "certs.kubelet.keyUsages: 'signing' is not one of", "certs.kubelet.organisations: unknown key",
                "certs.kube-proxy.keyFormat: pkcs1 cannot hold a ecdsa-p256 key", "certs.kube-proxy.sans[0]: 'not a name'")) {
            assertTrue(e.getMessage().contains(want), want + "\n" + e.getMessage());
        }
    }
}
