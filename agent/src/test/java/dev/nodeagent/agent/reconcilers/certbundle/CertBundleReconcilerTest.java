package dev.nodeagent.agent.reconcilers.certbundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.host.MountTable;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.CertState;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.NotReady;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.Verified;
import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.VerifiedCert;
import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings.Ownership;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishing half of the reconciler, on real files and real hook processes; the bundle read is handed in
 * (the read itself is covered with real age/openssl bundles by LibraryBundleSourceTest and the ITs).
 */
class CertBundleReconcilerTest {

    @TempDir
    Path root;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<BundleRead> next = new AtomicReference<>();
    private Path mountinfo;
    private Path hookLog;

    @BeforeEach
    void setUp() throws IOException {
        mountinfo = root.resolve("mountinfo");
        Files.writeString(mountinfo, "26 1 0:25 / / rw - tmpfs tmpfs rw\n");
        hookLog = root.resolve("hooks.log");
    }

    private CertBundleReconciler reconciler(List<Hook> hooks) {
        CertBundleSettings s = new CertBundleSettings("/bundle", "node1", "k8s", List.of("/etc/ssh/ssh_host_ed25519_key"),
                "/run/node-agent/certs", new Ownership(null, null, 0400, 0444), Map.of(), hooks);
        return new CertBundleReconciler(s, next::get, new HostPaths(root), new CommandRunner(),
                new BundleMetrics(registry), new MountTable(mountinfo));
    }

    private Hook appendHook() {
        return new Hook("echo ran >> '" + hookLog + "'", Duration.ofSeconds(10));
    }

    private static Verified bundle(String serial) {
        CertFacts facts = new CertFacts("kubelet", "/run/node-agent/certs/kubelet.crt", "system:node:node1", "system:nodes",
                "k8s-ca", serial, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
        CertState state = new CertState("kubelet", "derived/node1/k8s-kubelet.crt", facts,
                List.of(Check.pass("kubelet: key matches cert", "ok")));
        CertState ca = new CertState("ca", "ca/k8s.crt", null, List.of(Check.pass("ca: ca-is-ca", "ok")));
        return new Verified(("CA " + serial).getBytes(StandardCharsets.UTF_8), ca,
                List.of(new VerifiedCert("kubelet", ("CRT " + serial).getBytes(StandardCharsets.UTF_8),
                        ("KEY " + serial).getBytes(StandardCharsets.UTF_8), state)), List.of());
    }

    private Outcome pass(CertBundleReconciler r, boolean forced) throws Exception {
        return r.reconcile(new ReconcileContext(Instant.now(), forced, 0));
    }

    private Path certs() {
        return root.resolve("run/node-agent/certs");
    }

    private long hookRuns() throws IOException {
        return Files.exists(hookLog) ? Files.readAllLines(hookLog).size() : 0;
    }

    @Test
    void aNewBundleIsPublishedOnceAndHooksRunOncePerChangeAndNeverOtherwise() throws Exception {
        CertBundleReconciler r = reconciler(List.of(appendHook()));
        next.set(bundle("01"));
        Outcome first = pass(r, false);
        assertEquals(State.OK, first.state(), first.message());
        assertTrue(first.changed());
        assertEquals("KEY 01", Files.readString(certs().resolve("kubelet.key")));
        assertEquals("CA 01", Files.readString(certs().resolve("ca.crt")));
        assertEquals(1, hookRuns());

        for (int i = 0; i < 3; i++) {
            next.set(bundle("01"));
            Outcome same = pass(r, i == 2);
            assertFalse(same.changed(), same.message());
            assertEquals("UpToDate", same.reason());
        }
        assertEquals(1, hookRuns(), "no hook without a change, even on a forced pass");
        assertEquals("certs.gen/1", Files.readSymbolicLink(certs()).toString());

        next.set(bundle("02"));
        Outcome rotated = pass(r, false);
        assertTrue(rotated.changed());
        assertEquals("certs.gen/2", Files.readSymbolicLink(certs()).toString());
        assertEquals("KEY 02", Files.readString(certs().resolve("kubelet.key")));
        assertEquals(2, hookRuns());
        assertEquals(2.0, registry.get("node_agent_bundle_generation").gauge().value());
        assertEquals(2.0, registry.get("node_agent_bundle_switch").counter().count());
    }

    @Test
    void aBundleThatIsNotReadyLeavesTheLiveGenerationByteIdentical() throws Exception {
        CertBundleReconciler r = reconciler(List.of(appendHook()));
        next.set(bundle("01"));
        pass(r, false);
        byte[] key = Files.readAllBytes(certs().resolve("kubelet.key"));
        next.set(new NotReady(Outcome.failed("CertExpired", "derived/node1/k8s-kubelet.crt: not expired: expired"),
                List.of(new CertState("kubelet", "derived/node1/k8s-kubelet.crt", null,
                        List.of(Check.fail("kubelet: not expired", "expired"))))));
        Outcome bad = pass(r, false);
        assertEquals(State.FAILED, bad.state());
        assertEquals("CertExpired", bad.reason());
        assertTrue(bad.message().endsWith("generation 1 stays live"), bad.message());
        assertArrayEquals(key, Files.readAllBytes(certs().resolve("kubelet.key")));
        assertEquals("certs.gen/1", Files.readSymbolicLink(certs()).toString());
        assertEquals(1, hookRuns());
        assertEquals(0.0, registry.get("node_agent_certificate_valid").tag("cert", "kubelet").gauge().value());
    }

    @Test
    void aFailedHookIsReportedAndRunsAgainOnlyOnAForcedPass() throws Exception {
        Hook failing = new Hook("echo ran >> '" + hookLog + "'; echo boom >&2; exit 3",
                Duration.ofSeconds(10));
        CertBundleReconciler r = reconciler(List.of(failing));
        next.set(bundle("01"));
        Outcome o = pass(r, false);
        assertEquals(State.FAILED, o.state());
        assertEquals("HookFailed", o.reason());
        assertTrue(o.changed(), "the switch happened");
        assertTrue(o.message().contains("exited 3: boom"), o.message());
        next.set(bundle("01"));
        assertEquals("HookFailed", pass(r, false).reason());
        assertEquals(1, hookRuns(), "an ordinary pass does not re-run a failed hook");
        next.set(bundle("01"));
        pass(r, true);
        assertEquals(2, hookRuns(), "a forced pass does");
    }

    @Test
    void aTargetOnADiskIsPublishedWithAWarningAndAMetric() throws Exception {
        Files.writeString(mountinfo, "26 1 0:25 / / rw - ext4 /dev/vda rw\n");
        CertBundleReconciler r = reconciler(List.of());
        next.set(bundle("01"));
        Outcome o = pass(r, false);
        assertEquals(State.OK, o.state());
        assertTrue(o.message().contains("not tmpfs/ramfs: decrypted keys are on a disk"), o.message());
        assertEquals(0.0, registry.get("node_agent_bundle_target_in_memory").gauge().value());
        assertEquals(false, o.details().get("targetInMemory"));
    }

    @Test
    void theX509MetricsDescribeTheLiveSetWithTheExporterLabelNames() throws Exception {
        CertBundleReconciler r = reconciler(List.of());
        next.set(bundle("01"));
        pass(r, false);
        Gauge g = registry.get("x509_cert_not_after").tag("filepath", "/run/node-agent/certs/kubelet.crt")
                .tag("subject_CN", "system:node:node1").tag("subject_O", "system:nodes").tag("issuer_CN", "k8s-ca")
                .tag("serial_number", "01").gauge();
        assertEquals(Instant.parse("2027-01-01T00:00:00Z").getEpochSecond(), (long) g.value());
        next.set(bundle("02"));
        pass(r, false);
        assertEquals(1, registry.find("x509_cert_not_after").gauges().size(), "the rotated cert's old serial is gone");
        assertEquals(1, registry.find("x509_cert_not_before").tag("serial_number", "02").gauges().size());
    }

    @Test
    void aWriteThatFailsKeepsTheOldGenerationAndSaysSo() throws Exception {
        CertBundleReconciler ok = reconciler(List.of(appendHook()));
        next.set(bundle("01"));
        pass(ok, false);
        CertBundleSettings s = new CertBundleSettings("/bundle", "node1", "k8s", List.of("/k"), "/run/node-agent/certs",
                new Ownership("no-such-user-xyz", null, 0400, 0444), Map.of(), List.of(appendHook()));
        CertBundleReconciler r = new CertBundleReconciler(s, next::get, new HostPaths(root), new CommandRunner(),
                new BundleMetrics(new SimpleMeterRegistry()), new MountTable(mountinfo));
        next.set(bundle("02"));
        Outcome o = pass(r, false);
        assertEquals(State.FAILED, o.state());
        assertEquals("WriteFailed", o.reason());
        assertTrue(o.message().endsWith("generation 1 stays live"), o.message());
        assertEquals("KEY 01", Files.readString(certs().resolve("kubelet.key")));
        assertEquals(1, hookRuns());
    }

    @Test
    void statusDetailsListEachCertWithNotAfterAndChecksButNoKeyBytes() throws Exception {
        CertBundleReconciler r = reconciler(List.of());
        next.set(bundle("01"));
        Outcome o = pass(r, false);
        String all = o.message() + o.details() + o.checks();
        assertTrue(all.contains("notAfter=2027-01-01T00:00:00Z"), all);
        assertFalse(all.contains("KEY 01"), all);
    }

    private static NotReady rejected(String reason, String serial) {
        CertFacts facts = new CertFacts("kubelet", "/run/node-agent/certs/kubelet.crt", "system:node:node1", "system:nodes",
                "k8s-ca", serial, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"));
        return new NotReady(Outcome.failed(reason, "derived/node1/k8s-kubelet.crt: check validity failed: expired"),
                List.of(new CertState("kubelet", "derived/node1/k8s-kubelet.crt", facts,
                        List.of(Check.fail("kubelet: validity", "kubelet expired at 2021-01-01T00:00:00Z")))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> certsOf(Map<String, Object> m) {
        return (List<Map<String, Object>>) m.get("certs");
    }

    @Test
    @SuppressWarnings("unchecked")
    void afterARejectedBundleStatusDescribesTheLiveSetAndTheRejectedCandidateApart() throws Exception {
        CertBundleReconciler r = reconciler(List.of());
        next.set(bundle("01"));
        pass(r, false);
        next.set(rejected("ValidityFailed", "02"));
        Outcome o = pass(r, false);
        assertEquals(1L, o.details().get("generation"));
        assertEquals(List.of("01"), certsOf(o.details()).stream().filter(c -> c.containsKey("serialNumber"))
                .map(c -> c.get("serialNumber")).toList(), "certs are the live set's");
        Map<String, Object> rejected = (Map<String, Object>) o.details().get("rejected");
        assertEquals("ValidityFailed", rejected.get("reason"));
        assertEquals("02", certsOf(rejected).getFirst().get("serialNumber"));
        assertEquals("fail", certsOf(rejected).getFirst().get("result"));
        assertEquals(1, registry.find("x509_cert_not_after").tag("serial_number", "01").gauges().size());
        assertEquals(0, registry.find("x509_cert_not_after").tag("serial_number", "02").gauges().size());
        next.set(bundle("01"));
        assertFalse(pass(r, false).details().containsKey("rejected"), "back to the live bundle: nothing rejected");
    }

    @Test
    void afterARestartTheLiveSetIsReadBackFromItsPublicFiles() throws Exception {
        next.set(bundle("01"));
        pass(reconciler(List.of()), false);
        next.set(rejected("ValidityFailed", "02"));
        Outcome o = pass(reconciler(List.of()), false); // a new process: nothing published by it yet
        assertEquals(List.of("/run/node-agent/certs/ca.crt", "/run/node-agent/certs/kubelet.crt"),
                certsOf(o.details()).stream().map(c -> c.get("source")).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void withNothingLiveTheCandidatesCertsAreInStatusAndTheX509Metrics() throws Exception {
        CertBundleReconciler r = reconciler(List.of());
        next.set(rejected("NotEncryptedToHost", "07"));
        Outcome o = pass(r, false);
        assertEquals(0L, o.details().get("generation"));
        assertEquals(List.of(), certsOf(o.details()));
        Map<String, Object> rejected = (Map<String, Object>) o.details().get("rejected");
        assertEquals("2021-01-01T00:00:00Z", certsOf(rejected).getFirst().get("notAfter"));
        Gauge g = registry.get("x509_cert_not_after").tag("filepath", "/bundle/derived/node1/k8s-kubelet.crt")
                .tag("serial_number", "07").gauge();
        assertEquals(Instant.parse("2021-01-01T00:00:00Z").getEpochSecond(), (long) g.value());
    }
}
