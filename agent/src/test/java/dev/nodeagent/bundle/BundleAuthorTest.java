package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Identities;
import dev.nodeagent.age.Recipients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authoring → layout → loader → validator, with real ssh-keygen host and operator keys. */
class BundleAuthorTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path keys;

    @TempDir
    Path out;

    @BeforeAll
    static void sshKeys() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/ssh-keygen").canExecute(), "ssh-keygen not installed");
        for (String k : List.of("op", "cp1", "w1")) {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f",
                    keys.resolve(k).toString()).inheritIO().start();
            assertEquals(0, p.waitFor());
        }
        Files.writeString(keys.resolve("hosts.yaml"), """
                ca: k8s
                serviceCIDR: 10.96.0.0/12
                hosts:
                  - {name: cp1, role: control-plane, sshKeyFile: cp1.pub, sans: [100.64.0.1]}
                  - {name: w1, role: worker, sshKeyFile: w1.pub}
                """);
    }

    private BundleAuthor.Result write(Instant at, BundleAuthor.Mode mode, Duration within, boolean withIdentity) throws Exception {
        BundleAuthor a = new BundleAuthor(new CertIssuer(new SecureRandom()), InstantSource.fixed(at));
        return a.write(new BundleAuthor.Request(HostsFile.load(keys.resolve("hosts.yaml")), out,
                Recipients.load(keys.resolve("op.pub")), withIdentity ? id("op") : List.of(), mode, within));
    }

    private static List<AgeIdentity> id(String name) throws Exception {
        return Identities.load(keys.resolve(name), w -> { });
    }

    private Map<Path, byte[]> snapshot() throws Exception {
        Map<Path, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(out.relativize(p), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void createdBundlesLoadWithTheHostKeyAndPassValidation() throws Exception {
        write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false);
        for (String host : List.of("cp1", "w1")) {
            LoadedBundle b = BundleLoader.load(BundleLayout.locate(out, host, "k8s"), id(host));
            ValidationReport r = BundleValidator.validate(b, host, T0);
            assertTrue(r.ok(), () -> host + ": " + r.failures());
            assertTrue(r.warnings().isEmpty(), () -> host + ": " + r.warnings());
            assertEquals(host.equals("cp1") ? 13 : 3, b.certs().size());
        }
        CertInfo api = BundleValidator.validate(BundleLoader.load(BundleLayout.locate(out, "cp1", "k8s"), id("op")), "cp1", T0)
                .certs().stream().filter(c -> c.cert().equals("kube-apiserver")).findFirst().orElseThrow();
        assertEquals(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local", "cp1", "localhost", "127.0.0.1", "10.96.0.1", "100.64.0.1"), api.sans());
    }

    @Test
    void anotherHostsKeyIsNotEncryptedToHostWithBothTagsAndNoKeyMaterial() throws Exception {
        write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false);
        BundleException e = assertThrows(BundleException.class,
                () -> BundleLoader.load(BundleLayout.locate(out, "cp1", "k8s"), id("w1")));
        assertEquals("NotEncryptedToHost", e.reason());
        String w1Tag = id("w1").getFirst().sshTag().orElseThrow();
        String cp1Tag = id("cp1").getFirst().sshTag().orElseThrow();
        assertTrue(e.getMessage().contains("ssh-ed25519 " + cp1Tag) && e.getMessage().contains("ssh-ed25519 " + w1Tag), e.getMessage());
        assertTrue(e.file().endsWith(".key.age"), e.file());
        assertFalse(e.getMessage().contains("PRIVATE"));
    }

    @Test
    void renewKeepsFreshCertsByteIdenticalWithoutAnIdentity() throws Exception {
        write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false);
        Map<Path, byte[]> before = snapshot();
        BundleAuthor.Result r = write(T0.plus(Duration.ofDays(10)), BundleAuthor.Mode.RENEW, Duration.ofDays(30), false);
        assertTrue(r.actions().stream().allMatch(a -> a.action().equals("kept")), r.actions()::toString);
        Map<Path, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k.toString()));
    }

    @Test
    void renewReissuesExpiringLeavesWithTheSameCaAndKeepsTheServiceAccountKey() throws Exception {
        write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false);
        Map<Path, byte[]> before = snapshot();
        Instant later = T0.plus(Duration.ofDays(340));
        assertEquals("IdentityRequired", assertThrows(BundleException.class,
                () -> write(later, BundleAuthor.Mode.RENEW, Duration.ofDays(30), false)).reason());
        BundleAuthor.Result r = write(later, BundleAuthor.Mode.RENEW, Duration.ofDays(30), true);
        assertEquals(15, r.actions().stream().filter(a -> a.action().equals("renewed")).count());
        Map<Path, byte[]> after = snapshot();
        for (String same : List.of("ca/k8s.crt", "ca/k8s.key.age", "derived/cp1/k8s-service-account.crt",
                "derived/cp1/k8s-service-account.key.age")) {
            assertArrayEquals(before.get(Path.of(same)), after.get(Path.of(same)), same);
        }
        assertFalse(java.util.Arrays.equals(before.get(Path.of("derived/w1/k8s-kubelet.crt")), after.get(Path.of("derived/w1/k8s-kubelet.crt"))));
        ValidationReport v = BundleValidator.validate(BundleLoader.load(BundleLayout.locate(out, "w1", "k8s"), id("w1")), "w1", later);
        assertTrue(v.ok() && v.warnings().isEmpty(), v.checks()::toString);
    }

    @Test
    void createAgainReusesTheCaAndTheServiceAccountKeyPairAndNeedsAnIdentity() throws Exception {
        write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false);
        Map<Path, byte[]> first = snapshot();
        BundleException e = assertThrows(BundleException.class, () -> write(T0, BundleAuthor.Mode.CREATE, Duration.ZERO, false));
        assertEquals("IdentityRequired", e.reason());
        Map<Path, byte[]> unchanged = snapshot();
        first.forEach((k, v) -> assertArrayEquals(v, unchanged.get(k), k.toString()));

        BundleAuthor.Result r = write(T0.plus(Duration.ofDays(1)), BundleAuthor.Mode.CREATE, Duration.ZERO, true);
        assertFalse(r.caCreated());
        assertTrue(r.actions().stream().anyMatch(a -> a.cert().equals("service-account") && a.action().equals("re-encrypted")),
                r.actions()::toString);
        Map<Path, byte[]> second = snapshot();
        assertArrayEquals(first.get(Path.of("ca/k8s.crt")), second.get(Path.of("ca/k8s.crt")));
        assertArrayEquals(first.get(Path.of("derived/cp1/k8s-service-account.crt")), second.get(Path.of("derived/cp1/k8s-service-account.crt")));
        LoadedBundle b = BundleLoader.load(BundleLayout.locate(out, "cp1", "k8s"), id("cp1"));
        assertTrue(BundleValidator.validate(b, "cp1", T0.plus(Duration.ofDays(1))).ok());
    }

    @Test
    void rsaOnRequestMakesRsaKeysThatValidate() throws Exception {
        Path hosts = out.resolve("rsa-hosts.yaml");
        Files.writeString(hosts, "keyAlgorithm: rsa-2048\nhosts: [{name: w1, sshKeyFile: " + keys.resolve("w1.pub") + "}]\n");
        Path bundle = out.resolve("rsa");
        new BundleAuthor(new CertIssuer(new SecureRandom()), InstantSource.fixed(T0)).write(new BundleAuthor.Request(
                HostsFile.load(hosts), bundle, Recipients.load(keys.resolve("op.pub")), List.of(), BundleAuthor.Mode.CREATE, Duration.ZERO));
        LoadedBundle b = BundleLoader.load(BundleLayout.locate(bundle, "w1", "k8s"), id("w1"));
        assertTrue(BundleValidator.validate(b, "w1", T0).ok());
        assertEquals("RSA", Pem.privateKey(b.certs().getFirst().keyPem()).getAlgorithm());
    }

    @Test
    void leavesNeverOutliveTheCaAndTheOperatorIsWarned() throws Exception {
        Path hosts = out.resolve("short-ca.yaml");
        Files.writeString(hosts, "caValidityDays: 100\nhosts: [{name: w1, sshKeyFile: " + keys.resolve("w1.pub") + "}]\n");
        BundleAuthor.Result r = new BundleAuthor(new CertIssuer(new SecureRandom()), InstantSource.fixed(T0)).write(
                new BundleAuthor.Request(HostsFile.load(hosts), out.resolve("b"), Recipients.load(keys.resolve("op.pub")),
                        List.of(), BundleAuthor.Mode.CREATE, Duration.ZERO));
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().getFirst().contains("plan a CA rotation"), r.warnings().getFirst());
        assertTrue(r.actions().stream().allMatch(a -> a.notAfter().equals(r.caNotAfter())), r.actions()::toString);
    }
}
