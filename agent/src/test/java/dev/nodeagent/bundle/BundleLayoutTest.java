package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLayoutTest {

    @TempDir
    Path dir;

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.createDirectories(p.getParent());
            Files.writeString(p, n);
        }
    }

    @Test
    void readsTheK8nixLayoutAndIgnoresOtherFiles() throws Exception {
        touch("ca/k8s.crt", "ca/k8s.key.age", "derived/w1/k8s-kubelet.crt", "derived/w1/k8s-kubelet.key.age",
                "derived/w1/k8s-kube-proxy.crt", "derived/w1/k8s-kube-proxy.key.age",
                "derived/w1/k8s-kubelet.csr", "derived/w1/etcd-foo.crt", "derived/w1/k8s-kubelet.json",
                "derived/w2/k8s-kubelet.crt", "derived/w2/k8s-kubelet.key.age");
        BundleLayout l = BundleLayout.locate(dir, "w1", "k8s");
        assertEquals(BundleLayout.Kind.K8NIX, l.kind());
        assertEquals(dir.resolve("ca/k8s.crt"), l.caCert());
        assertEquals(List.of(
                new BundleEntry("kube-proxy", dir.resolve("derived/w1/k8s-kube-proxy.crt"), dir.resolve("derived/w1/k8s-kube-proxy.key.age")),
                new BundleEntry("kubelet", dir.resolve("derived/w1/k8s-kubelet.crt"), dir.resolve("derived/w1/k8s-kubelet.key.age"))),
                l.entries());
    }

    @Test
    void readsAFlatDirectoryWithAServiceAccountPublicKey() throws Exception {
        touch("ca.crt", "kubelet.crt", "kubelet.key.age", "service-account.pub", "service-account.key.age", "ca.key.age");
        BundleLayout l = BundleLayout.locate(dir, "ignored", "k8s");
        assertEquals(BundleLayout.Kind.FLAT, l.kind());
        assertEquals(List.of("kubelet", "service-account"), l.entries().stream().map(BundleEntry::cert).toList());
        assertEquals(dir.resolve("service-account.pub"), l.entries().get(1).certFile());
    }

    @Test
    void aCertWithoutItsKeyIsKeyMissingNamingTheFile() throws Exception {
        touch("ca/k8s.crt", "derived/w1/k8s-kubelet.crt");
        BundleException e = assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w1", "k8s"));
        assertEquals("KeyMissing", e.reason());
        assertEquals(dir.resolve("derived/w1/k8s-kubelet.crt").toString(), e.file());
    }

    @Test
    void aKeyWithoutItsCertIsCertMissing() throws Exception {
        touch("ca/k8s.crt", "derived/w1/k8s-kubelet.key.age");
        assertEquals("CertMissing", assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w1", "k8s")).reason());
    }

    @Test
    void anUnknownHostIsHostMissingListingTheHostsPresent() throws Exception {
        touch("ca/k8s.crt", "derived/w1/k8s-kubelet.crt", "derived/w1/k8s-kubelet.key.age");
        BundleException e = assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w9", "k8s"));
        assertEquals("HostMissing", e.reason());
        assertTrue(e.getMessage().contains("[w1]"), e.getMessage());
    }

    @Test
    void noCaAtAllIsCaMissingAndAMissingDirIsBundleDirMissing() throws Exception {
        touch("kubelet.crt");
        assertEquals("CaMissing", assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w1", "k8s")).reason());
        assertEquals("BundleDirMissing", assertThrows(BundleException.class,
                () -> BundleLayout.locate(dir.resolve("nope"), "w1", "k8s")).reason());
    }

    @Test
    void aHostDirWithNoCertsIsBundleEmpty() throws Exception {
        touch("ca/k8s.crt", "derived/w1/README");
        assertEquals("BundleEmpty", assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w1", "k8s")).reason());
    }

    @Test
    void aHostNameThatIsAPathIsRefused() throws Exception {
        touch("ca/k8s.crt", "derived/w1/k8s-kubelet.crt", "derived/w1/k8s-kubelet.key.age");
        assertEquals("HostNameInvalid", assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "../derived/w1", "k8s")).reason());
        assertEquals("CaNameInvalid", assertThrows(BundleException.class, () -> BundleLayout.locate(dir, "w1", "../k8s")).reason());
    }
}
