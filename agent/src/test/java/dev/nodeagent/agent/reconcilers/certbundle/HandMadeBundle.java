package dev.nodeagent.agent.reconcilers.certbundle;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: a host SSH key and a bundle made with ssh-keygen, openssl and age (make-bundle.sh), not our code. */
final class HandMadeBundle {

    private HandMadeBundle() {
    }

    static void assumeTools() {
        for (String tool : List.of("age", "openssl", "ssh-keygen")) {
            assumeTrue(onPath(tool), tool + " is not installed; skipping");
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ssh-keygen -t ed25519} at {@code key} (+ {@code key.pub}). */
    static void sshKey(Path key) throws IOException, InterruptedException {
        Files.createDirectories(key.getParent());
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", key.toString()), Map.of());
    }

    static void make(Path secrets, Path caDir, String host, Path recipients, Map<String, String> env, String... certs)
            throws IOException, InterruptedException {
        Path script;
        try {
            script = Path.of(HandMadeBundle.class.getResource("/certbundle/make-bundle.sh").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString(), secrets.toString(), caDir.toString(), host,
                recipients.toString()));
        cmd.addAll(List.of(certs));
        run(cmd, env);
    }

    private static void run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
    }
}
