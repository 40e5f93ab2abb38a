package dev.nodeagent.agent.reconcilers.kubeconfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real certificates made by the real {@code openssl} (EC P-256, self-signed, 1 day): what a bundle would hold. */
final class TestCerts {

    private TestCerts() {
    }

    static boolean haveOpenssl() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    /** Writes {@code <dir>/<name>.crt} and {@code .key}, with these subjectAltNames (e.g. {@code IP:100.64.0.1}). */
    static void make(Path dir, String name, String... sans) throws IOException, InterruptedException {
        assumeTrue(haveOpenssl(), "openssl is not installed (Debian package openssl); skipping");
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=" + name,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString()));
        if (sans.length > 0) {
            cmd.addAll(List.of("-addext", "subjectAltName=" + String.join(",", sans)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS), "openssl timed out");
        assertEquals(0, p.exitValue(), "openssl failed: " + out);
    }

    /** A CA as {@code ca.crt} plus leaf certs for each name, the layout of the bundle's stable paths. */
    static void bundle(Path dir, String... names) throws IOException, InterruptedException {
        make(dir, "ca");
        Files.deleteIfExists(dir.resolve("ca.key")); // consumers never see the CA key
        for (String n : names) {
            make(dir, n);
        }
    }
}
