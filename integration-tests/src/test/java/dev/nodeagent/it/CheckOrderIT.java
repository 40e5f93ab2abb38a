package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node-agent check} on a fresh demo sandbox, through the packaged binary: no certs are on disk yet, so the
 * cert-bundle pass must run (and write them) before kubeconfigs reads them, and cni-config must come after
 * kubeconfigs (the CNI kubeconfig) and cni-ipam-link (the {@code calico-ipam} binary). When the passes ran
 * concurrently, kubeconfigs reported {@code waiting  CertMissing} for certs the bundle pass was still writing; in
 * plain status order cni-config reported {@code waiting  PluginBinaryMissing} (cni-ipam-link comes after it).
 */
class CheckOrderIT {

    @TempDir
    Path tmp;

    @Test
    void aFreshSandboxChecksCleanBecauseTheBundleIsWrittenFirst() throws Exception {
        Path dir = tmp.resolve("sandbox");
        Dist.Result setup = Dist.run(Duration.ofSeconds(60), "node-agent", "demo", "--setup-only", "--dir", dir.toString());
        assertEquals(0, setup.exitCode(), setup.output());
        Path certs = dir.resolve("run/node-agent/certs");
        assertFalse(Files.exists(certs), "the sandbox already has certs; the test would prove nothing");

        Dist.Result check = Dist.run(Duration.ofSeconds(60), "node-agent", "check", "--config",
                dir.resolve("etc/node-agent/agent.yaml").toString());
        String out = check.output();
        assertEquals(0, check.exitCode(), out);
        // report lines: "NAME  STATE  [REASON: ]MESSAGE", then indented check lines
        assertTrue(out.lines().anyMatch(l -> l.matches("cert-bundle +ok +.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("kubeconfigs +ok +.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("cni-config +ok +.*")), out);
        assertFalse(out.contains("CertMissing"), out);
    }
}
