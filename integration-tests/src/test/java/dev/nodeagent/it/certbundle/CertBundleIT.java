package dev.nodeagent.it.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cert-bundle reconciler in the real distribution, on real files (a real tmpfs mount when run as root), with
 * bundles made by hand with openssl + age. The last test greps everything the agent said for key material.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertBundleIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> CERTS = List.of("calico-cni", "kube-proxy", "kubelet");
    /** Everything the agent said (logs, /status, /metrics) across the tests, for the leak check. */
    private static final List<String> TRANSCRIPT = AgentProcess.newTranscript();
    /** Private key material seen in the tests (base64 bodies), which must appear in none of it. */
    private static final Set<String> SECRETS = new TreeSet<>();
    private static int testsRun;

    @TempDir
    Path work;

    @BeforeAll
    static void tools() {
        CertSandbox.assumeTools();
        AgentProcess.dist();
    }

    private static ReconcilerStatus awaitGeneration(AgentProcess agent, long generation) throws Exception {
        return agent.awaitCertBundle("generation " + generation, s -> s.state() == State.OK
                && ((Number) s.details().getOrDefault("generation", 0)).longValue() == generation, WAIT);
    }

    private static void rememberSecrets(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".key") || p.getFileName().toString().startsWith("ssh_host_")).toList()) {
                if (p.toString().endsWith(".pub")) {
                    continue;
                }
                for (String line : Files.readAllLines(p)) {
                    if (!line.startsWith("-----") && line.length() >= 16) {
                        SECRETS.add(line.strip());
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void aHandMadeBundleGoesLiveAndNoBadBundleEverReplacesIt() throws Exception {
        testsRun++;
        try (CertSandbox box = new CertSandbox(work.resolve("host"), "16m")) {
            Path good = box.publish(Map.of(), null);
            int port = AgentProcess.freePort();
            try (AgentProcess agent = new AgentProcess(box.config(port, "300ms"), work.resolve("agent.log"), port, TRANSCRIPT).start()) {
                ReconcilerStatus s = awaitGeneration(agent, 1);
                rememberSecrets(box.target());
                rememberSecrets(box.root.resolve("etc/ssh"));
                // The stable paths, with the modes the issue asks for, and a set that openssl agrees with.
                for (String c : CERTS) {
                    assertEquals("r--------", perms(box.target().resolve(c + ".key")));
                    assertEquals("r--r--r--", perms(box.target().resolve(c + ".crt")));
                    assertTrue(CertSandbox.keyMatches(Files.readAllBytes(box.target().resolve(c + ".crt")),
                            Files.readAllBytes(box.target().resolve(c + ".key"))), c);
                    CertSandbox.run(Map.of(), "openssl", "verify", "-CAfile", box.target().resolve("ca.crt").toString(),
                            box.target().resolve(c + ".crt").toString());
                }
                assertEquals("certs.gen/1", Files.readSymbolicLink(box.target()).toString());
                if (box.onTmpfs()) {
                    assertEquals(true, s.details().get("targetInMemory"), s.message());
                    assertEquals(1.0, agent.metric("node_agent_bundle_target_in_memory"));
                } else {
                    assertTrue(s.message().contains("not tmpfs/ramfs"), s.message());
                }
                String metrics = agent.get("/metrics");
                assertTrue(metrics.contains("x509_cert_not_after{filepath=\"/run/node-agent/certs/kubelet.crt\",issuer_CN=\"k8s-ca\","), metrics);
                assertTrue(metrics.contains("subject_CN=\"system:node:node1\",subject_O=\"system:nodes\"}"), metrics);
                assertEquals(1.0, agent.metric("node_agent_certificate_valid{cert=\"kubelet\"}"));

                // Unchanged bundle: passes go by, nothing is written and no hook runs.
                Map<String, String> live = box.liveSnapshot();
                Thread.sleep(1500);
                assertEquals(live, box.liveSnapshot());
                assertEquals(1, box.hookRuns(), "the hook ran once for the one switch");
                assertEquals(1.0, agent.metric("node_agent_bundle_switch_total"));

                badBundles(box, agent, live);

                // Back to the good bundle: it is what is live, so still nothing to do.
                box.swapIn(good);
                agent.awaitCertBundle("ok again", st -> st.state() == State.OK, WAIT);
                assertEquals(live, box.liveSnapshot());
                assertEquals(1, box.hookRuns());

                rotations(box, agent, 6);
            }
        }
    }

    private void badBundles(CertSandbox box, AgentProcess agent, Map<String, String> live) throws Exception {
        Path other = box.root.resolve("other/key");
        Files.createDirectories(other.getParent());
        CertSandbox.run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        record Bad(String name, Map<String, String> env, Path recipient, String reason, String inMessage) {
        }
        List<Bad> bads = List.of(
                new Bad("wrong host", Map.of(), Path.of(other + ".pub"), "NotEncryptedToHost", "is not encrypted to this host"),
                new Bad("expired", Map.of("ENDDATE", "20210101000000Z"), null, "ValidityFailed", ".crt: check validity failed: "),
                new Bad("key/cert mismatch", Map.of("MISMATCH", "1"), null, "KeyMatchesCertFailed", ".crt: check key-matches-cert failed: "),
                new Bad("corrupted", Map.of(), null, "KeyCorrupt", "k8s-kubelet.key.age"));
        for (Bad bad : bads) {
            Path dir = box.make(bad.env(), bad.recipient());
            if (bad.name().equals("corrupted")) { // one flipped bit in the payload of a key that is ours
                Path key = dir.resolve("derived/node1/k8s-kubelet.key.age");
                byte[] b = Files.readAllBytes(key);
                b[b.length - 10] ^= 0x40;
                Files.write(key, b);
            }
            box.swapIn(dir);
            ReconcilerStatus s = agent.awaitCertBundle(bad.name() + " → " + bad.reason(),
                    st -> st.state() == State.FAILED && st.reason().equals(bad.reason()), WAIT);
            assertTrue(s.message().contains(bad.inMessage()), bad.name() + ": " + s.message());
            assertTrue(s.message().endsWith("generation 1 stays live"), s.message());
            assertEquals(live, box.liveSnapshot(), bad.name() + " changed the live set");
            assertEquals(1, box.hookRuns(), bad.name() + " ran a hook");
        }
    }

    /** Rotates {@code n} times while a reader loops over the stable paths; it must never see a missing, torn or mixed set. */
    private void rotations(CertSandbox box, AgentProcess agent, int n) throws Exception {
        Map<String, Integer> bundleOf = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicLong consistentReads = new AtomicLong();
        AtomicLong straddled = new AtomicLong();
        // The live bundle must be known before the reader starts, or its first read looks like a mixed set.
        recordBundle(box.root.resolve("bundles/1"), 1, bundleOf);
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get() && problem.get() == null) {
                try {
                    String before = Files.readSymbolicLink(box.target()).toString();
                    byte[] kc = Files.readAllBytes(box.target().resolve("kubelet.crt"));
                    byte[] kk = Files.readAllBytes(box.target().resolve("kubelet.key"));
                    byte[] pc = Files.readAllBytes(box.target().resolve("kube-proxy.crt"));
                    byte[] pk = Files.readAllBytes(box.target().resolve("kube-proxy.key"));
                    Files.readAllBytes(box.target().resolve("ca.crt"));
                    String after = Files.readSymbolicLink(box.target()).toString();
                    if (!before.equals(after)) {
                        // A switch in between: the files may come from two generations, but each must be whole
                        // (a torn PEM throws here); whether they match is not the question.
                        straddled.incrementAndGet();
                        CertSandbox.keyMatches(kc, kk);
                        CertSandbox.keyMatches(pc, pk);
                        continue;
                    }
                    Integer a = bundleOf.get(Base64.getEncoder().encodeToString(kc));
                    Integer b = bundleOf.get(Base64.getEncoder().encodeToString(pc));
                    if (!CertSandbox.keyMatches(kc, kk) || !CertSandbox.keyMatches(pc, pk) || a == null || !a.equals(b)) {
                        problem.set("mixed set in " + before + ": kubelet from bundle " + a + ", kube-proxy from " + b);
                    }
                    consistentReads.incrementAndGet();
                    Thread.sleep(1); // leave the 2 CI cores to the agent; still hundreds of reads per switch
                } catch (Exception e) {
                    problem.set("reader: " + e);
                }
            }
        });
        try {
            long generation = 1;
            for (int i = 2; i <= n + 1; i++) {
                Path dir = box.make(Map.of(), null);
                recordBundle(dir, 100 + i, bundleOf); // known before the agent can see it
                box.swapIn(dir);
                generation++;
                awaitGeneration(agent, generation);
                assertNull(problem.get());
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertNull(problem.get());
        assertTrue(consistentReads.get() > 0, "the reader read consistent sets");
        assertEquals(n + 1, box.hookRuns(), "one hook run per switch, none otherwise");
        System.out.printf("cert-bundle IT: %d rotations, reader saw %d consistent sets and %d reads across a switch%n",
                n, consistentReads.get(), straddled.get());
    }

    private static void recordBundle(Path dir, int index, Map<String, Integer> bundleOf) throws IOException {
        for (String c : List.of("kubelet", "kube-proxy")) {
            bundleOf.put(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("derived/node1/k8s-" + c + ".crt"))), index);
        }
    }

    private static String perms(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @Order(2)
    void killDashNineAtRandomMomentsDuringRotationsNeverLeavesATornOrMixedSet() throws Exception {
        testsRun++;
        int rotations = Integer.getInteger("certbundle.killRotations", 12);
        long seed = Long.getLong("certbundle.seed", System.nanoTime());
        Random random = new Random(seed);
        try (CertSandbox box = new CertSandbox(work.resolve("host"), "16m")) {
            Map<String, Integer> bundleOf = new java.util.concurrent.ConcurrentHashMap<>();
            Path first = box.publish(Map.of(), null);
            recordBundle(first, 1, bundleOf);
            int port = AgentProcess.freePort();
            Path cfg = box.config(port, "100ms");
            AgentProcess agent = new AgentProcess(cfg, work.resolve("agent.log"), port, TRANSCRIPT).start();
            awaitGeneration(agent, 1);
            int kills = 0;
            int midSwitchKills = 0;
            try {
                for (int i = 2; i <= rotations + 1; i++) {
                    Path dir = box.make(Map.of(), null);
                    recordBundle(dir, i, bundleOf);
                    boolean kill = random.nextInt(3) == 0 || i == rotations + 1;
                    boolean forced = kill && random.nextBoolean();
                    box.swapIn(dir);
                    if (forced) {
                        // Forced timing: kill the moment the new generation's dir appears, i.e. mid-write.
                        waitForNewGenerationDir(box, Duration.ofSeconds(10));
                    } else {
                        Thread.sleep(random.nextInt(250));
                    }
                    if (kill) {
                        agent.kill9();
                        kills++;
                        if (midSwitch(box)) {
                            midSwitchKills++;
                        }
                        assertWholeSet(box, bundleOf, "after kill " + kills + " (seed " + seed + ")");
                        agent = new AgentProcess(cfg, work.resolve("agent.log"), port, TRANSCRIPT).start();
                        agent.awaitCertBundle("first pass after restart", st -> st.state() != State.PENDING, WAIT);
                    }
                }
                // It converges on the last bundle after all that.
                Path last = box.root.resolve("bundles/" + (rotations + 1));
                byte[] want = Files.readAllBytes(last.resolve("derived/node1/k8s-kubelet.crt"));
                agent.awaitCertBundle("the last bundle live", st -> {
                    try {
                        return st.state() == State.OK && java.util.Arrays.equals(want, Files.readAllBytes(box.target().resolve("kubelet.crt")));
                    } catch (IOException e) {
                        return false;
                    }
                }, WAIT);
                assertWholeSet(box, bundleOf, "at the end");
                rememberSecrets(box.target());
            } finally {
                agent.close();
            }
            System.out.printf("cert-bundle IT: %d rotations, %d kill -9s (%d left a half-made generation behind), seed %d"
                    + " (-Dcertbundle.killRotations=100 for the full run)%n", rotations, kills, midSwitchKills, seed);
        }
    }

    /** Spins until {@code certs.gen} holds an entry newer than the live generation (a {@code .tmp} or unlinked dir). */
    private static void waitForNewGenerationDir(CertSandbox box, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && !midSwitch(box)) {
            Thread.onSpinWait();
        }
    }

    /** True when the generations dir holds something newer than what the link points at: a switch under way. */
    private static boolean midSwitch(CertSandbox box) throws IOException {
        Path gens = box.root.resolve("run/node-agent/certs.gen");
        long live;
        try {
            live = Long.parseLong(Files.readSymbolicLink(box.target()).getFileName().toString());
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        try (Stream<Path> s = Files.list(gens)) {
            return s.map(p -> p.getFileName().toString().replace(".tmp", ""))
                    .anyMatch(n -> n.matches("[0-9]+") && Long.parseLong(n) > live);
        } catch (IOException e) {
            return false;
        }
    }

    /** The stable paths name one complete generation: every file there, keys match, all certs from one bundle. */
    private static void assertWholeSet(CertSandbox box, Map<String, Integer> bundleOf, String when) throws Exception {
        Path dir = box.target().toRealPath();
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of("ca.crt", "calico-cni.crt", "calico-cni.key", "kube-proxy.crt", "kube-proxy.key",
                    "kubelet.crt", "kubelet.key"), new TreeSet<>(s.map(p -> p.getFileName().toString()).toList()), when);
        }
        Integer a = bundleOf.get(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("kubelet.crt"))));
        Integer b = bundleOf.get(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("kube-proxy.crt"))));
        assertTrue(a != null && a.equals(b), when + ": kubelet from bundle " + a + ", kube-proxy from " + b);
        for (String c : CERTS) {
            assertTrue(CertSandbox.keyMatches(Files.readAllBytes(dir.resolve(c + ".crt")), Files.readAllBytes(dir.resolve(c + ".key"))),
                    when + ": " + c + " key does not match");
        }
    }

    @Test
    @Order(3)
    void aFullTmpfsKeepsTheOldGenerationAndReportsIt() throws Exception {
        testsRun++;
        assumeTrue(CertSandbox.isRoot(), "mounting a tmpfs needs root; skipping");
        try (CertSandbox box = new CertSandbox(work.resolve("host"), "1m")) {
            box.publish(Map.of(), null);
            int port = AgentProcess.freePort();
            try (AgentProcess agent = new AgentProcess(box.config(port, "300ms"), work.resolve("agent.log"), port, TRANSCRIPT).start()) {
                awaitGeneration(agent, 1);
                Map<String, String> live = box.liveSnapshot();
                Path filler = box.root.resolve("run/node-agent/filler");
                try (OutputStream out = Files.newOutputStream(filler)) {
                    byte[] chunk = new byte[4096];
                    while (true) {
                        out.write(chunk);
                        out.flush();
                    }
                } catch (IOException expected) {
                    // ENOSPC: the tmpfs is full
                }
                box.publish(Map.of(), null);
                ReconcilerStatus s = agent.awaitCertBundle("WriteFailed", st -> st.reason().equals("WriteFailed"), WAIT);
                assertEquals(State.FAILED, s.state());
                assertTrue(s.message().contains("No space left on device"), s.message());
                assertTrue(s.message().endsWith("generation 1 stays live"), s.message());
                assertEquals(live, box.liveSnapshot());
                assertEquals(1, box.hookRuns());
                try (Stream<Path> g = Files.list(box.root.resolve("run/node-agent/certs.gen"))) {
                    assertEquals(List.of("1"), g.map(p -> p.getFileName().toString()).toList(), "no partial generation left");
                }
                Files.delete(filler);
                awaitGeneration(agent, 2);
                assertEquals(2, box.hookRuns());
                rememberSecrets(box.target());
            }
        }
    }

    @Test
    @Order(4)
    void nothingTheAgentSaidContainsKeyMaterial() {
        assumeTrue(testsRun > 0 && !TRANSCRIPT.isEmpty(), "no agent ran in this suite");
        assertFalse(SECRETS.isEmpty(), "the tests saw the keys they look for");
        List<String> leaks = new ArrayList<>();
        for (String text : TRANSCRIPT) {
            for (String marker : List.of("PRIVATE KEY", "AGE-SECRET-KEY", "openssh-key-v1", "b3BlbnNzaC1rZXktdjE")) {
                if (text.contains(marker)) {
                    leaks.add(marker);
                }
            }
            for (String secret : SECRETS) {
                if (text.contains(secret) || text.contains(secret.substring(0, 16))) {
                    leaks.add("key bytes " + secret.substring(0, 6) + "…");
                }
            }
        }
        assertEquals(List.of(), leaks, "in " + TRANSCRIPT.size() + " logs and responses");
        System.out.printf("cert-bundle IT: leak check over %d logs/responses (%d KiB), %d key lines: clean%n",
                TRANSCRIPT.size(), TRANSCRIPT.stream().mapToLong(String::length).sum() / 1024, SECRETS.size());
    }

    @AfterAll
    static void done() {
        TRANSCRIPT.clear();
    }
}
