package dev.nodeagent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.kube.TestKubeconfig;
import dev.nodeagent.agent.kube.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading kubeconfigs: host paths under a root, missing files, and noticing a rotated certificate. */
class KubeconfigsTest {

    @TempDir
    Path root;

    private final UnaryOperator<Path> underRoot = p -> root.resolve(p.toString().substring(1));

    @Test
    void aRotatedClientCertificateChangesTheFingerprintAndAnUnchangedSetDoesNot() throws Exception {
        new TestPki("system:node:n1", "system:nodes").writeBundle(root.resolve("run/node-agent/certs"), "kubelet");
        Path kc = root.resolve("var/lib/kubelet/kubeconfig");
        TestKubeconfig.withClientCert(kc, "https://10.0.0.1:6443", "/run/node-agent/certs/ca.crt",
                "/run/node-agent/certs/kubelet.crt", "/run/node-agent/certs/kubelet.key");
        var first = assertInstanceOf(Kubeconfigs.Loaded.class,
                Kubeconfigs.load(kc, "/var/lib/kubelet/kubeconfig", underRoot, Duration.ofSeconds(3), null));
        assertEquals("https://10.0.0.1:6443/", first.server());
        assertEquals(3000, first.config().getRequestTimeout());
        assertEquals(0, first.config().getRequestRetryBackoffLimit());
        assertTrue(first.config().getCaCertFile().startsWith(root.toString()), first.config().getCaCertFile());
        assertInstanceOf(Kubeconfigs.Unchanged.class, Kubeconfigs.load(kc, "/var/lib/kubelet/kubeconfig", underRoot,
                Duration.ofSeconds(3), first.fingerprint()));

        new TestPki("system:node:n1", "system:nodes").writeBundle(root.resolve("run/node-agent/certs"), "kubelet");
        var rotated = assertInstanceOf(Kubeconfigs.Loaded.class, Kubeconfigs.load(kc, "/var/lib/kubelet/kubeconfig",
                underRoot, Duration.ofSeconds(3), first.fingerprint()));
        assertNotEquals(first.fingerprint(), rotated.fingerprint());
    }

    @Test
    void aMissingReferencedFileIsNamedAndAnUnparsableFileIsAnError() throws Exception {
        Path kc = root.resolve("kc");
        TestKubeconfig.withClientCert(kc, "https://10.0.0.1:6443", "/certs/ca.crt", "/certs/k.crt", "/certs/k.key");
        var missing = assertInstanceOf(Kubeconfigs.Missing.class,
                Kubeconfigs.load(kc, "/kc", underRoot, Duration.ofSeconds(3), null));
        assertEquals("/certs/ca.crt (referenced by /kc)", missing.what());
        assertInstanceOf(Kubeconfigs.Missing.class,
                Kubeconfigs.load(root.resolve("nope"), "/nope", underRoot, Duration.ofSeconds(3), null));
        Files.writeString(kc, "clusters: [this is: not a kubeconfig");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Kubeconfigs.load(kc, "/kc", underRoot, Duration.ofSeconds(3), null));
        assertTrue(e.getMessage().startsWith("/kc: not a kubeconfig"), e.getMessage());
    }
}
