package dev.nodeagent.it.certbundle;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A host root for one agent: {@code /etc/ssh} host key (ssh-keygen), bundles made by hand with openssl + age
 * (agent/src/test/resources/certbundle/make-bundle.sh) and published into {@code /var/lib/secrets} by an atomic
 * symlink swap, {@code /run/node-agent} on a real tmpfs when running as root, and the agent's config.
 */
final class CertSandbox implements AutoCloseable {

    static final String NODE = "node1";

    final Path root;
    final Path hookLog;
    private final boolean tmpfs;
    private int bundles;

    CertSandbox(Path root, String tmpfsSize) throws IOException, InterruptedException {
        this.root = root;
        this.hookLog = root.resolve("hooks.log");
        Files.createDirectories(root.resolve("run/node-agent"));
        Files.createDirectories(root.resolve("var/lib"));
        Files.createDirectories(root.resolve("etc/ssh"));
        this.tmpfs = isRoot() && tmpfsSize != null;
        if (tmpfs) {
            run(Map.of(), "mount", "-t", "tmpfs", "-o", "size=" + tmpfsSize + ",mode=0755", "tmpfs",
                    root.resolve("run/node-agent").toString());
        }
        try {
            run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "it-host", "-f",
                    root.resolve("etc/ssh/ssh_host_ed25519_key").toString());
        } catch (IOException | RuntimeException e) {
            close(); // never leave a tmpfs mounted behind a failed set-up
            throw e;
        }
    }

    boolean onTmpfs() {
        return tmpfs;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void assumeTools() {
        for (String tool : List.of("age", "openssl", "ssh-keygen")) {
            assumeTrue(onPath(tool), tool + " is not installed; skipping");
        }
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    Path target() {
        return root.resolve("run/node-agent/certs");
    }

    Path hostPub() {
        return root.resolve("etc/ssh/ssh_host_ed25519_key.pub");
    }

    /** Writes agent.yaml with a short interval and a hook that appends the live link to hooks.log. */
    Path config(int port, String interval) throws IOException {
        Path cfg = root.resolve("etc/node-agent/agent.yaml");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, """
                node:
                  name: %s
                  role: worker
                hostRoot: %s
                http:
                  listen: 127.0.0.1:%d
                controlSocket: /run/node-agent/control.sock
                log:
                  level: info
                  format: text
                reconcilers:
                  cniIpamLink:
                    enabled: false
                  certBundle:
                    interval: %s
                    secretsDir: /var/lib/secrets
                    identities: [/etc/ssh/ssh_host_ed25519_key, /etc/ssh/ssh_host_rsa_key]
                    hooks:
                      - command: readlink '%s' >> '%s'
                        timeout: 10s
                """.formatted(NODE, root, port, interval, target(), hookLog));
        return cfg;
    }

    /**
     * Makes a bundle with make-bundle.sh (env as documented there; {@code recipient} null = this host) and makes it
     * {@code /var/lib/secrets} in one rename, so the agent never reads a half-made bundle. Returns its dir.
     */
    Path publish(Map<String, String> env, Path recipient, String... certs) throws IOException, InterruptedException {
        return swapIn(make(env, recipient, certs));
    }

    /** Makes the next bundle dir ({@code bundles/<n>}) without publishing it. */
    Path make(Map<String, String> env, Path recipient, String... certs) throws IOException, InterruptedException {
        Path dir = root.resolve("bundles/" + (++bundles));
        List<String> cmd = new ArrayList<>(List.of("sh", AgentProcess.repo().resolve("agent/src/test/resources/certbundle/make-bundle.sh").toString(),
                dir.toString(), root.resolve("ca-private").toString(), NODE, (recipient == null ? hostPub() : recipient).toString()));
        cmd.addAll(List.of(certs));
        run(env, cmd.toArray(String[]::new));
        return dir;
    }

    Path swapIn(Path dir) throws IOException {
        Path link = root.resolve("var/lib/secrets");
        Path tmp = root.resolve("var/lib/.secrets.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, dir);
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    /** Every file under the target's live generation, with the link text: equal snapshots = byte-identical set. */
    Map<String, String> liveSnapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        out.put("@link", Files.readSymbolicLink(target()).toString());
        try (Stream<Path> s = Files.list(target().toRealPath())) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p))
                        + " " + Files.getPosixFilePermissions(p));
            }
        }
        return out;
    }

    long hookRuns() throws IOException {
        return Files.exists(hookLog) ? Files.readAllLines(hookLog).size() : 0;
    }

    /** True when the PKCS#8 PEM key signs what the certificate's public key verifies. */
    static boolean keyMatches(byte[] certPem, byte[] keyPem) throws Exception {
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certPem));
        String b64 = new String(keyPem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        return s.verify(sig);
    }

    static void run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (tmpfs) {
            ProcessBuilder pb = new ProcessBuilder("umount", "-l", root.resolve("run/node-agent").toString());
            pb.start().waitFor();
        }
    }
}
