package dev.nodeagent.agent.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Identities;
import dev.nodeagent.bundle.BundleLayout;
import dev.nodeagent.bundle.BundleLoader;
import dev.nodeagent.bundle.BundleValidator;
import dev.nodeagent.bundle.LoadedBundle;
import dev.nodeagent.bundle.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoBundleTest {

    @TempDir
    Path dir;

    @Test
    void theDemoSandboxGetsAHostKeyAndABundleThatValidatesForItsNode() throws Exception {
        new DemoSandbox(dir, "127.0.0.1:0").setUp();
        List<AgeIdentity> ids = Identities.load(dir.resolve(DemoBundle.HOST_KEY));
        BundleLayout layout = BundleLayout.locate(dir.resolve(DemoBundle.SECRETS), "demo-node", "k8s");
        LoadedBundle bundle = BundleLoader.load(layout, ids);
        ValidationReport report = BundleValidator.validate(bundle, "demo-node", Instant.now());
        assertTrue(report.ok(), report.failures().toString());
        assertEquals(List.of("calico-cni", "kube-proxy", "kubelet"), bundle.certs().stream().map(c -> c.cert()).toList());
        bundle.wipe();

        // Set up again: the key and the bundle are reused, not remade.
        byte[] crt = Files.readAllBytes(layout.entries().getLast().certFile());
        new DemoSandbox(dir, "127.0.0.1:0").setUp();
        assertEquals(new String(crt), Files.readString(layout.entries().getLast().certFile()));
    }

    @Test
    void theJavaMadeHostKeyIsAnOpenSshKeyThatSshKeygenAndAgeAccept() throws Exception {
        Path key = dir.resolve("ssh_host_ed25519_key");
        DemoBundle.javaHostKey(key);
        assertEquals("ssh-ed25519", Identities.load(key).getFirst().type());
        assertFalse(Files.readString(Path.of(key + ".pub")).contains("PRIVATE"));
        assumeTrue(System.getenv().getOrDefault("PATH", "").contains("/usr/bin") && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
                "ssh-keygen is not installed; the cross-check is skipped");
        Process p = new ProcessBuilder("ssh-keygen", "-y", "-f", key.toString()).redirectErrorStream(true).start();
        String derived = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), derived);
        String[] ours = Files.readString(Path.of(key + ".pub")).strip().split(" ");
        String[] theirs = derived.split(" ");
        assertEquals(ours[0] + " " + ours[1], theirs[0] + " " + theirs[1], "ssh-keygen derives the same public key");
    }
}
