package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentctl bundle} on a repository laid out like real users' (k8nix certToolkit + agenix, cfssl-made certs:
 * PKCS#1 RSA keys, {@code O=DucksNest}, etcd-server CN {@code etcd}, SANs with 127.0.0.1), made fresh by
 * agent/src/test/resources/certbundle/make-user-repo.sh with openssl + age; every field read back with openssl.
 */
class UserLayoutBundleIT {

    @TempDir
    Path dir;
    Path agentctl;
    Path secrets;

    @BeforeEach
    void repo() throws Exception {
        Assumptions.assumeTrue(BundleToolIT.onPath("age") && BundleToolIT.onPath("ssh-keygen") && BundleToolIT.onPath("openssl"),
                "needs age, ssh-keygen and openssl");
        agentctl = Path.of(System.getProperty("nodeagent.dist", "packaging/target/node-agent"), "bin", "agentctl");
        Assumptions.assumeTrue(Files.isExecutable(agentctl), "no distribution at " + agentctl);
        for (String k : List.of("op", "cp1", "w1")) {
            ok(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", dir.resolve(k).toString()));
        }
        secrets = dir.resolve("secrets");
        Path script = Path.of(System.getProperty("nodeagent.repo", ".."), "agent/src/test/resources/certbundle/make-user-repo.sh");
        ok(run("sh", script.toString(), secrets.toString(), dir.resolve("work").toString(), dir.resolve("op.pub").toString(),
                "cp1", dir.resolve("cp1.pub").toString(), "w1", dir.resolve("w1.pub").toString()));
        hostsFile("");
    }

    /** The operator's hosts.yaml for the repository, with {@code extra} appended (per-cert settings). */
    private Path hostsFile(String extra) throws Exception {
        Path h = dir.resolve("hosts.yaml");
        Files.writeString(h, """
                ca: k8s
                serviceCIDR: 10.96.0.0/12
                hosts:
                  - name: cp1
                    role: control-plane
                    sshKeyFile: cp1.pub
                    sans: [10.0.0.11]
                  - name: w1
                    role: worker
                    sshKeyFile: w1.pub
                """ + extra);
        return h;
    }

    private Result renew(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bundle", "renew", "--days", "400", "--hosts", dir.resolve("hosts.yaml").toString(),
                "--operator-key", dir.resolve("op.pub").toString(), "--identity", dir.resolve("op").toString(),
                "--out", secrets.toString()));
        cmd.addAll(List.of(extra));
        return agentctl(cmd.toArray(String[]::new));
    }

    @Test
    void renewKeepsEverySubjectSanUsageAndKeyFormatOfTheUsersCerts() throws Exception {
        Map<String, Map<String, String>> before = fieldsOfEveryCert();
        assertEquals(7, before.size(), before.keySet().toString());
        Result r = renew();
        ok(r);
        Map<String, Map<String, String>> after = fieldsOfEveryCert();
        for (var e : before.entrySet()) {
            Map<String, String> was = new LinkedHashMap<>(e.getValue());
            Map<String, String> now = new LinkedHashMap<>(after.get(e.getKey()));
            assertNotEquals(was.remove("serial"), now.remove("serial"), e.getKey() + " was renewed\n" + r.stdout);
            was.remove("notAfter");
            now.remove("notAfter");
            assertEquals(was, now, e.getKey() + ": renew changed what it renews\n" + r.stdout);
            ok(run("openssl", "verify", "-CAfile", secrets.resolve("ca/k8s.crt").toString(), secrets.resolve(e.getKey()).toString()));
        }
        // the fields that bit users, spelled out
        assertTrue(after.get("derived/cp1/k8s-etcd-server.crt").get("subject").equals("subject=CN=etcd,O=DucksNest,L=Amsterdam,C=NL"),
                after.get("derived/cp1/k8s-etcd-server.crt").toString());
        assertTrue(after.get("derived/cp1/k8s-etcd-server.crt").get("ext").contains("IP Address:127.0.0.1"));
        assertTrue(!after.get("derived/cp1/k8s-kube-apiserver-kubelet-client.crt").get("subject").contains("system:masters"));
        assertEquals("-----BEGIN RSA PRIVATE KEY-----", after.get("derived/w1/k8s-kubelet.crt").get("keyFormat"));
    }

    @Test
    void hostsYamlCanStateSubjectSansUsagesAndKeyFormatExplicitly() throws Exception {
        Files.writeString(dir.resolve("hosts.yaml"), """
                ca: k8s
                serviceCIDR: 10.96.0.0/12
                hosts:
                  - name: cp1
                    role: control-plane
                    sshKeyFile: cp1.pub
                    sans: [10.0.0.11]
                    certs:
                      etcd-server:
                        commonName: etcd-server
                        sans: [cp1, 127.0.0.1]
                        extendedKeyUsages: [serverAuth]
                  - name: w1
                    role: worker
                    sshKeyFile: w1.pub
                certs:
                  kube-proxy:
                    keyFormat: pkcs8
                    keyAlgorithm: ecdsa-p256
                """);
        Map<String, Map<String, String>> before = fieldsOfEveryCert();
        ok(renew());
        Map<String, Map<String, String>> after = fieldsOfEveryCert();
        Map<String, String> etcd = after.get("derived/cp1/k8s-etcd-server.crt");
        assertEquals("subject=CN=etcd-server,O=DucksNest,L=Amsterdam,C=NL", etcd.get("subject"), etcd.toString());
        assertTrue(etcd.get("ext").contains("DNS:cp1, IP Address:127.0.0.1\n") && !etcd.get("ext").contains("localhost"), etcd.get("ext"));
        assertTrue(etcd.get("ext").contains("TLS Web Server Authentication\n"), etcd.get("ext"));
        Map<String, String> proxy = after.get("derived/w1/k8s-kube-proxy.crt");
        assertEquals("-----BEGIN PRIVATE KEY-----", proxy.get("keyFormat"));
        assertTrue(proxy.get("key").contains("id-ecPublicKey") && proxy.get("key").contains("256 bit"), proxy.get("key"));
        assertEquals(before.get("derived/w1/k8s-kube-proxy.crt").get("subject"), proxy.get("subject"));
        assertEquals(before.get("derived/w1/k8s-kubelet.crt").get("subject"), after.get("derived/w1/k8s-kubelet.crt").get("subject"));
    }

    @Test
    void inspectRunsEveryKeylessCheckAndFailsOnExpiredForeignMisnamedAndMisusedCerts() throws Exception {
        Result good = agentctl("bundle", "inspect", secrets.toString());
        ok(good);
        assertTrue(good.stdout.contains("usages     digitalSignature, keyEncipherment; serverAuth, clientAuth"), good.stdout);
        assertTrue(good.stdout.contains(" days left)") && good.stdout.contains("ok         chains-to-ca"), good.stdout);

        Path work = Files.createDirectories(dir.resolve("bad"));
        Path caKey = work.resolve("ca.key");
        ok(run("sh", "-c", "age -d -i '" + dir.resolve("op") + "' '" + secrets.resolve("ca/k8s.key.age") + "' > '" + caKey + "'"));
        Path caCrt = secrets.resolve("ca/k8s.crt");
        // expired: w1's kube-proxy; another CA of the same name: w1's kubelet; usages: cp1's etcd-server lacks serverAuth
        issue(work, "proxy", "/O=system:node-proxier/CN=system:kube-proxy", "extendedKeyUsage=clientAuth", caCrt, caKey, "-1",
                secrets.resolve("derived/w1/k8s-kube-proxy.crt"));
        Path otherKey = work.resolve("other-ca.key");
        Path otherCrt = work.resolve("other-ca.crt");
        ok(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", otherKey.toString(), "-out", otherCrt.toString(),
                "-days", "30", "-subj", "/C=NL/L=Amsterdam/O=DucksNest/CN=DucksNest CA"));
        issue(work, "kubelet", "/O=system:nodes/CN=system:node:w1", "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:w1",
                otherCrt, otherKey, "30", secrets.resolve("derived/w1/k8s-kubelet.crt"));
        issue(work, "etcd", "/O=DucksNest/CN=etcd", "extendedKeyUsage=clientAuth\nsubjectAltName=DNS:cp1,IP:127.0.0.1", caCrt, caKey,
                "30", secrets.resolve("derived/cp1/k8s-etcd-server.crt"));
        // cp1's kubelet cert under w1's name would authenticate w1 as cp1
        Files.writeString(secrets.resolve("derived/cp1/k8s-kubelet.crt"), Files.readString(secrets.resolve("derived/w1/k8s-kubelet.crt")));
        Files.delete(caKey);

        Result bad = agentctl("bundle", "inspect", secrets.toString());
        assertEquals(1, bad.exit, bad.stdout + bad.stderr);
        for (String want : List.of("FAIL       validity          kube-proxy expired at", "FAIL       chains-to-ca      kubelet's signature does not verify",
                "FAIL       key-usage         etcd-server cannot be used as its consumer needs: lacks serverAuth",
                "FAIL       node-name         kubelet CN is 'system:node:w1', expected 'system:node:cp1'", "FAILED: ")) {
            assertTrue(bad.stdout.contains(want), want + "\n" + bad.stdout);
        }
        assertTrue(bad.stdout.contains("expired 1 days ago") || bad.stdout.contains("expired 0 days ago"), bad.stdout);
        Result json = agentctl("bundle", "inspect", "-o", "json", secrets.toString());
        assertEquals(1, json.exit);
        assertTrue(json.stdout.contains("\"result\" : \"fail\"") && json.stdout.contains("\"daysLeft\""), json.stdout);
    }

    @Test
    void verifyReportsEveryFileAndEveryCheckWhenSomeKeysDoNotOpen() throws Exception {
        // w1's kube-proxy key re-encrypted to another host: it no longer opens on w1; the kubelet key still does
        ok(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", dir.resolve("other").toString()));
        Path proxyKey = secrets.resolve("derived/w1/k8s-kube-proxy.key.age");
        Path plain = dir.resolve("proxy.key");
        ok(run("sh", "-c", "age -d -i '" + dir.resolve("op") + "' '" + proxyKey + "' > '" + plain + "'"));
        ok(run("age", "-R", dir.resolve("other.pub").toString(), "-o", proxyKey.toString(), plain.toString()));
        Files.delete(plain);
        Result r = agentctl("bundle", "verify", "-i", dir.resolve("w1").toString(), "--host", "w1", secrets.toString());
        assertEquals(1, r.exit, r.stdout + r.stderr);
        assertTrue(r.stdout.contains("FAIL  kube-proxy") && r.stdout.contains("key-decrypt") && r.stdout.contains("NotEncryptedToHost"),
                r.stdout);
        assertTrue(r.stdout.contains("ok    kubelet                        key-matches-cert"), "the key that opens is checked\n" + r.stdout);
        assertTrue(r.stdout.contains("ok    kube-proxy                     validity"), "keyless checks of the unopened one\n" + r.stdout);
        assertTrue(r.stdout.contains("ok    kubelet                        node-name"), r.stdout);
        assertTrue(r.stdout.contains("FAILED: 2 certs") && r.stdout.contains("1 keys not opened"), r.stdout);
        assertTrue(!(r.stdout + r.stderr).contains("PRIVATE KEY"));
    }

    private void issue(Path work, String name, String subj, String ext, Path caCrt, Path caKey, String days, Path out) throws Exception {
        Path key = work.resolve(name + ".key");
        Path csr = work.resolve(name + ".csr");
        Path extFile = work.resolve(name + ".ext");
        Files.writeString(extFile, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" + ext + "\n");
        ok(run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-subj", subj, "-out", csr.toString()));
        ok(run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCrt.toString(), "-CAkey", caKey.toString(),
                "-set_serial", "0x" + Long.toHexString(System.nanoTime()), "-days", days, "-extfile", extFile.toString(), "-out", out.toString()));
        Files.delete(key);
    }

    /** Per cert file: subject, the extensions that matter (with criticality), key type/size, key PEM type, serial. */
    private Map<String, Map<String, String>> fieldsOfEveryCert() throws Exception {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(secrets.resolve("derived"))) {
            for (Path crt : s.filter(p -> p.toString().endsWith(".crt")).sorted().toList()) {
                String rel = secrets.relativize(crt).toString();
                if (rel.contains("service-account") || !isUsers(rel)) {
                    continue;
                }
                Map<String, String> f = new LinkedHashMap<>();
                f.put("subject", openssl(crt, "-subject", "-nameopt", "RFC2253").strip());
                f.put("ext", openssl(crt, "-ext", "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName"));
                String text = openssl(crt, "-text");
                f.put("key", text.lines().filter(l -> l.contains("Public Key Algorithm:") || l.contains("Public-Key:"))
                        .map(String::strip).reduce("", (a, b) -> a + b + "\n"));
                Path key = Path.of(crt.toString().replace(".crt", ".key.age"));
                Result dec = run("age", "-d", "-i", dir.resolve("op").toString(), key.toString());
                ok(dec);
                f.put("keyFormat", dec.stdout.lines().findFirst().orElse(""));
                Path plain = dir.resolve("plain.key");
                Files.writeString(plain, dec.stdout);
                String keyPub = run("openssl", "pkey", "-in", plain.toString(), "-pubout").stdout;
                Files.delete(plain);
                assertEquals(openssl(crt, "-pubkey"), keyPub, rel + ": the key belongs to its cert");
                f.put("serial", openssl(crt, "-serial"));
                f.put("notAfter", openssl(crt, "-enddate"));
                out.put(rel, f);
            }
        }
        return out;
    }

    /** The certs the user's repository had (renew also issues the ones it lacked; those are not compared). */
    private static boolean isUsers(String rel) {
        return List.of("cp1/k8s-etcd-server", "cp1/k8s-etcd-peer", "cp1/k8s-kube-apiserver.", "cp1/k8s-kube-apiserver-kubelet-client",
                "cp1/k8s-kubelet", "w1/k8s-kubelet", "w1/k8s-kube-proxy").stream().anyMatch(rel::contains);
    }

    private String openssl(Path crt, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "x509", "-in", crt.toString(), "-noout"));
        cmd.addAll(List.of(args));
        Result r = run(cmd.toArray(String[]::new));
        ok(r);
        return r.stdout;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    Result agentctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(agentctl.toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    Result run(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void ok(Result r) {
        assertEquals(0, r.exit, () -> "exit " + r.exit + "\nstdout: " + r.stdout + "\nstderr: " + r.stderr);
    }
}
