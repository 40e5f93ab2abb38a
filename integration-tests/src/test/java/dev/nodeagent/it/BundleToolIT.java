package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentctl bundle create|renew|verify|inspect} through the real {@code bin/agentctl}, checked by the real
 * {@code openssl verify} and Debian {@code age}; and a bundle made by hand with {@code openssl} + {@code age -R}
 * (not by our tool) that must verify.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleToolIT {

    Path dir;
    Path agentctl;
    Path secrets;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Assumptions.assumeTrue(onPath("age") && onPath("ssh-keygen") && onPath("openssl"), "needs age, ssh-keygen and openssl");
        agentctl = Path.of(System.getProperty("nodeagent.dist", "packaging/target/node-agent"), "bin", "agentctl");
        Assumptions.assumeTrue(Files.isExecutable(agentctl), "no distribution at " + agentctl);
        for (String k : List.of("op", "cp1", "w1")) {
            ok(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", dir.resolve(k).toString()));
        }
        Files.writeString(dir.resolve("hosts.yaml"), """
                ca: k8s
                serviceCIDR: 10.96.0.0/12
                hosts:
                  - name: cp1
                    role: control-plane
                    sshKeyFile: cp1.pub
                    sans: [100.64.0.1, cp1.example.ts.net]
                  - name: w1
                    role: worker
                    sshKey: "%s"
                """.formatted(Files.readString(dir.resolve("w1.pub")).strip()));
        secrets = dir.resolve("secrets");
    }

    @Test
    @Order(1)
    void createWritesABundleThatOpensslVerifiesAndAgeDecrypts() throws Exception {
        Result c = agentctl("bundle", "create", "--hosts", dir.resolve("hosts.yaml").toString(),
                "--operator-key", dir.resolve("op.pub").toString(), "--out", secrets.toString());
        ok(c);
        assertTrue(c.stdout.contains("created CA k8s") && c.stdout.contains("16 cert(s) written"), c.stdout);
        Path ca = secrets.resolve("ca/k8s.crt");
        List<Path> certs;
        try (Stream<Path> s = Files.walk(secrets.resolve("derived"))) {
            certs = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
        }
        assertEquals(16, certs.size());
        List<String> verify = new ArrayList<>(List.of("openssl", "verify", "-CAfile", ca.toString()));
        certs.forEach(p -> verify.add(p.toString()));
        Result v = run(verify.toArray(String[]::new));
        ok(v);
        assertEquals(16, v.stdout.lines().filter(l -> l.endsWith(": OK")).count(), v.stdout);

        for (String host : List.of("cp1", "w1")) {
            Path key = secrets.resolve("derived/" + host + "/k8s-kubelet.key.age");
            Result hostDec = run("age", "-d", "-i", dir.resolve(host).toString(), key.toString());
            ok(hostDec);
            Result opDec = run("age", "-d", "-i", dir.resolve("op").toString(), key.toString());
            ok(opDec);
            assertEquals(hostDec.stdout, opDec.stdout);
            Path plain = dir.resolve(host + "-kubelet.key");
            Files.writeString(plain, hostDec.stdout);
            String keyPub = run("openssl", "pkey", "-in", plain.toString(), "-pubout").stdout;
            String certPub = run("openssl", "x509", "-in", secrets.resolve("derived/" + host + "/k8s-kubelet.crt").toString(),
                    "-noout", "-pubkey").stdout;
            assertEquals(certPub, keyPub, host + ": age-decrypted key belongs to its cert");
            Files.delete(plain);
        }
        ok(run("age", "-d", "-i", dir.resolve("op").toString(), "-o", "/dev/null", secrets.resolve("ca/k8s.key.age").toString()));
        assertEquals(1, run("age", "-d", "-i", dir.resolve("cp1").toString(), "-o", "/dev/null",
                secrets.resolve("ca/k8s.key.age").toString()).exit, "the CA key is encrypted to operators only");
        String subject = run("openssl", "x509", "-in", secrets.resolve("derived/w1/k8s-kubelet.crt").toString(), "-noout",
                "-subject", "-nameopt", "RFC2253").stdout;
        assertTrue(subject.contains("CN=system:node:w1,O=system:nodes"), subject);
        String api = run("openssl", "x509", "-in", secrets.resolve("derived/cp1/k8s-kube-apiserver.crt").toString(), "-noout",
                "-ext", "subjectAltName").stdout;
        assertTrue(api.contains("DNS:kubernetes.default.svc.cluster.local") && api.contains("IP Address:10.96.0.1")
                && api.contains("IP Address:100.64.0.1"), api);
    }

    @Test
    @Order(2)
    void verifyPassesWithTheHostKeyAndFailsPlainlyWithAnotherHostsKey() throws Exception {
        Result good = agentctl("bundle", "verify", "--identity", dir.resolve("w1").toString(), "--host", "w1", secrets.toString());
        ok(good);
        assertTrue(good.stdout.contains("ok    kubelet") && good.stdout.contains("node-name") && good.stdout.contains("OK: 3 certs"),
                good.stdout);
        Result wrong = agentctl("bundle", "verify", "--identity", dir.resolve("w1").toString(), "--host", "cp1", secrets.toString());
        assertEquals(1, wrong.exit, wrong.stderr);
        assertTrue(wrong.stderr.contains("NotEncryptedToHost") && wrong.stderr.contains("this host's identities are [ssh-ed25519 "),
                wrong.stderr);
        Result badNode = agentctl("bundle", "verify", "--identity", dir.resolve("w1").toString(), "--host", "w1", "--node", "w2",
                secrets.toString());
        assertEquals(1, badNode.exit);
        assertTrue(badNode.stdout.contains("FAIL  kubelet") && badNode.stdout.contains("expected 'system:node:w2'"), badNode.stdout);
        assertFalse((good.stdout + wrong.stderr + badNode.stdout).contains("PRIVATE KEY"));
    }

    @Test
    @Order(3)
    void inspectListsEveryCertWithItsRecipients() throws Exception {
        Result r = agentctl("bundle", "inspect", "-o", "json", secrets.toString());
        ok(r);
        assertEquals(17, r.stdout.split("\"cert\"").length - 1, r.stdout);
        assertTrue(r.stdout.contains("\"subjectCN\" : \"system:node:w1\""), r.stdout);
        assertTrue(r.stdout.contains("\"keyRecipients\" : [ \"ssh-ed25519 "), r.stdout);
        assertTrue(r.stdout.contains("\"ssh-ed25519 " + tag("w1") + "\""), "w1's tag " + tag("w1") + " listed\n" + r.stdout);
        Result text = agentctl("bundle", "inspect", "--hosts", dir.resolve("hosts.yaml").toString(), secrets.toString());
        ok(text);
        assertTrue(text.stdout.contains("w1/kubelet") && text.stdout.contains("ssh-ed25519 " + tag("w1") + " (w1)"), text.stdout);

        // w1's SSH host key was replaced: inspect --hosts says which keys no longer open on w1
        ok(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "w1new", "-f", dir.resolve("w1new").toString()));
        Path moved = dir.resolve("hosts-w1new.yaml");
        Files.writeString(moved, Files.readString(dir.resolve("hosts.yaml")).replace(
                Files.readString(dir.resolve("w1.pub")).strip(), Files.readString(dir.resolve("w1new.pub")).strip()));
        Result stale = agentctl("bundle", "inspect", "--hosts", moved.toString(), secrets.toString());
        assertEquals(1, stale.exit, stale.stdout);
        assertEquals(3, stale.stdout.lines().filter(l -> l.contains("is not encrypted to w1's current key")).count(), stale.stdout);
    }

    @Test
    @Order(4)
    void renewKeepsFreshCertsAndReissuesWithTheSameCa() throws Exception {
        Map<String, String> before = snapshot();
        String[] base = {"--hosts", dir.resolve("hosts.yaml").toString(), "--operator-key", dir.resolve("op.pub").toString(),
                "--out", secrets.toString()};
        Result keep = agentctl(concat(new String[] {"bundle", "renew", "--days", "30"}, base));
        ok(keep);
        assertTrue(keep.stdout.contains("0 cert(s) written, 16 kept"), keep.stdout);
        assertEquals(before, snapshot());
        Result renew = agentctl(concat(new String[] {"bundle", "renew", "--days", "400", "--identity", dir.resolve("op").toString()}, base));
        ok(renew);
        assertTrue(renew.stdout.contains("15 cert(s) written, 1 kept"), renew.stdout);
        Map<String, String> after = snapshot();
        assertEquals(before.get("ca/k8s.crt"), after.get("ca/k8s.crt"));
        assertEquals(before.get("derived/cp1/k8s-service-account.key.age"), after.get("derived/cp1/k8s-service-account.key.age"));
        assertFalse(before.get("derived/w1/k8s-kubelet.crt").equals(after.get("derived/w1/k8s-kubelet.crt")));
        ok(run("openssl", "verify", "-CAfile", secrets.resolve("ca/k8s.crt").toString(),
                secrets.resolve("derived/w1/k8s-kubelet.crt").toString()));
    }

    @Test
    @Order(5)
    void aHostsFileErrorNamesTheField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "hosts:\n  - name: w1\n    role: master\n    sshKeyFile: w1.pub\n");
        Result r = agentctl("bundle", "create", "--hosts", bad.toString(), "--operator-key", dir.resolve("op.pub").toString(),
                "--out", dir.resolve("nope").toString());
        assertEquals(1, r.exit);
        assertTrue(r.stderr.contains("HostsFileInvalid") && r.stderr.contains("hosts[0].role: 'master'"), r.stderr);
        assertFalse(Files.exists(dir.resolve("nope")), "nothing written on a bad hosts file");
    }

    /** A bundle made with openssl and age -R, not by agentctl: a k8nix layout and a flat copy must verify. */
    @Test
    @Order(6)
    void aBundleMadeByHandWithOpensslAndAgeVerifies() throws Exception {
        Path hand = dir.resolve("hand");
        Path host = hand.resolve("derived/w1");
        Files.createDirectories(host);
        Files.createDirectories(hand.resolve("ca"));
        Path work = dir.resolve("hand-work");
        Files.createDirectories(work);
        String caKey = work.resolve("ca.key").toString();
        String caCrt = hand.resolve("ca/k8s.crt").toString();
        ok(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCrt, "-days", "3650",
                "-subj", "/CN=hand-ca"));
        // kubelet: SEC1 EC key (as cfssl writes), serverAuth+clientAuth (as cfssl always sets)
        ok(run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", work.resolve("kubelet.key").toString()));
        issueByHand(work, "kubelet", "/O=system:nodes/CN=system:node:w1", "subjectAltName=DNS:w1,IP:10.0.0.5",
                caCrt, caKey, host.resolve("k8s-kubelet.crt"));
        // kube-proxy: PKCS#8 RSA key
        ok(run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", work.resolve("kube-proxy.key").toString()));
        issueByHand(work, "kube-proxy", "/O=system:node-proxier/CN=system:kube-proxy", "keyUsage=digitalSignature,keyEncipherment",
                caCrt, caKey, host.resolve("k8s-kube-proxy.crt"));
        for (String cert : List.of("kubelet", "kube-proxy")) {
            ok(run("age", "-R", dir.resolve("w1.pub").toString(), "-R", dir.resolve("op.pub").toString(), "-o",
                    host.resolve("k8s-" + cert + ".key.age").toString(), work.resolve(cert + ".key").toString()));
        }
        Result r = agentctl("bundle", "verify", "-i", dir.resolve("w1").toString(), "--host", "w1", hand.toString());
        ok(r);
        assertTrue(r.stdout.contains("OK: 2 certs"), r.stdout);

        Path flat = dir.resolve("hand-flat");
        Files.createDirectories(flat);
        Files.copy(Path.of(caCrt), flat.resolve("ca.crt"));
        for (String cert : List.of("kubelet", "kube-proxy")) {
            Files.copy(host.resolve("k8s-" + cert + ".crt"), flat.resolve(cert + ".crt"));
            Files.copy(host.resolve("k8s-" + cert + ".key.age"), flat.resolve(cert + ".key.age"));
        }
        ok(agentctl("bundle", "verify", "-i", dir.resolve("w1").toString(), "--host", "w1", flat.toString()));

        // swap in the kube-proxy key as the kubelet key: the mismatch is caught and named
        Files.copy(flat.resolve("kube-proxy.key.age"), flat.resolve("kubelet.key.age"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Result mismatch = agentctl("bundle", "verify", "-i", dir.resolve("w1").toString(), "--host", "w1", flat.toString());
        assertEquals(1, mismatch.exit, mismatch.stdout);
        assertTrue(mismatch.stdout.contains("FAIL  kubelet") && mismatch.stdout.contains("key-matches-cert"), mismatch.stdout);
    }

    private void issueByHand(Path work, String name, String subj, String ext, String caCrt, String caKey, Path out) throws Exception {
        String csr = work.resolve(name + ".csr").toString();
        Path extFile = work.resolve(name + ".ext");
        Files.writeString(extFile, ext.startsWith("subjectAltName")
                ? "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n" + ext + "\n"
                : "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n" + ext + "\n");
        ok(run("openssl", "req", "-new", "-key", work.resolve(name + ".key").toString(), "-subj", subj, "-out", csr));
        ok(run("openssl", "x509", "-req", "-in", csr, "-CA", caCrt, "-CAkey", caKey, "-CAcreateserial", "-days", "365",
                "-extfile", extFile.toString(), "-out", out.toString()));
    }

    /** age's SSH key tag: base64 (no padding) of the first 4 bytes of SHA-256 of the public key blob. */
    private String tag(String key) throws Exception {
        byte[] blob = java.util.Base64.getDecoder().decode(Files.readString(dir.resolve(key + ".pub")).split(" ")[1]);
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(blob);
        return java.util.Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 4));
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(secrets)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(secrets.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    Result agentctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(agentctl.toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    Result run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void ok(Result r) {
        assertEquals(0, r.exit, () -> "exit " + r.exit + "\nstdout: " + r.stdout + "\nstderr: " + r.stderr);
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
