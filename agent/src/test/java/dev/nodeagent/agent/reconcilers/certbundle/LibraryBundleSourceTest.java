package dev.nodeagent.agent.reconcilers.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.NotReady;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.Verified;
import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings.Ownership;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real bundles made by hand with openssl + age, read by the real age and bundle libraries. */
class LibraryBundleSourceTest {

    @TempDir
    Path root;

    private Path hostKey;

    @BeforeEach
    void setUp() throws Exception {
        HandMadeBundle.assumeTools();
        hostKey = root.resolve("etc/ssh/ssh_host_ed25519_key");
        HandMadeBundle.sshKey(hostKey);
    }

    private LibraryBundleSource source() {
        CertBundleSettings s = new CertBundleSettings("/var/lib/secrets", "node1", "k8s",
                List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"), "/run/node-agent/certs",
                new Ownership(null, null, 0400, 0444), Map.of(), List.of());
        return new LibraryBundleSource(s, "node1", new HostPaths(root), InstantSource.system());
    }

    private Path secrets() {
        return root.resolve("var/lib/secrets");
    }

    @Test
    void aHandMadeBundleDecryptsAndValidatesWithTheRsaKeyMissing() throws Exception {
        HandMadeBundle.make(secrets(), root.resolve("ca"), "node1", Path.of(hostKey + ".pub"), Map.of());
        Verified v = assertInstanceOf(Verified.class, source().read());
        assertEquals(List.of("calico-cni", "kube-proxy", "kubelet"), v.certs().stream().map(BundleRead.VerifiedCert::name).toList());
        assertTrue(new String(v.certs().get(2).keyPem()).startsWith("-----BEGIN PRIVATE KEY-----"));
        BundleRead.CertState kubelet = v.certs().get(2).state();
        assertEquals("derived/node1/k8s-kubelet.crt", kubelet.sourceFile());
        assertEquals("system:node:node1", kubelet.facts().subjectCN());
        assertEquals("/run/node-agent/certs/kubelet.crt", kubelet.facts().filepath());
        assertTrue(kubelet.ok(), kubelet.checks().toString());
        assertEquals("/run/node-agent/certs/ca.crt", v.ca().facts().filepath(), "the CA is published (and measured) too");
        assertEquals("k8s-ca", v.ca().facts().subjectCN());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong host     | NotEncryptedToHost    | is not encrypted to this host: its recipients are
            expired        | ValidityFailed        | derived/node1/k8s-kubelet.crt: check validity failed: kubelet expired
            key mismatch   | KeyMatchesCertFailed  | derived/node1/k8s-kubelet.crt: check key-matches-cert failed
            wrong node     | NodeNameFailed        | derived/node1/k8s-kubelet.crt: check node-name failed
            corrupted key  | KeyCorrupt            | derived/node1/k8s-kubelet.key.age
            """)
    void aBadBundleFailsNamingTheFileAndTheCheck(String kind, String reason, String message) throws Exception {
        Path recipient = Path.of(hostKey + ".pub");
        Map<String, String> env = Map.of();
        switch (kind) {
            case "wrong host" -> {
                recipient = root.resolve("other/key.pub");
                HandMadeBundle.sshKey(root.resolve("other/key"));
            }
            case "expired" -> env = Map.of("ENDDATE", "20210101000000Z");
            case "key mismatch" -> env = Map.of("MISMATCH", "1");
            case "wrong node" -> env = Map.of("KUBELET_CN", "system:node:node2");
            default -> { }
        }
        HandMadeBundle.make(secrets(), root.resolve("ca"), "node1", recipient, env, "kubelet");
        if (kind.equals("corrupted key")) {
            Path key = secrets().resolve("derived/node1/k8s-kubelet.key.age");
            byte[] b = Files.readAllBytes(key);
            b[b.length - 20] ^= 0x55;
            Files.write(key, b);
        }
        NotReady nr = assertInstanceOf(NotReady.class, source().read());
        assertEquals(State.FAILED, nr.outcome().state());
        assertEquals(reason, nr.outcome().reason(), nr.outcome().message());
        assertTrue(nr.outcome().message().contains(message), nr.outcome().message());
        assertFalse(nr.outcome().message().contains(root.toString()), "paths read as on the host: " + nr.outcome().message());
        assertFalse(nr.outcome().message().contains("PRIVATE KEY"));
    }

    @Test
    void noIdentityFileOrNoBundleYetIsWaitingNotFailed() throws Exception {
        NotReady noBundle = assertInstanceOf(NotReady.class, source().read());
        assertEquals(State.WAITING, noBundle.outcome().state());
        assertEquals("BundleDirMissing", noBundle.outcome().reason());
        Files.delete(hostKey);
        NotReady noKey = assertInstanceOf(NotReady.class, source().read());
        assertEquals(State.WAITING, noKey.outcome().state());
        assertEquals("IdentityMissing", noKey.outcome().reason());
    }
}
