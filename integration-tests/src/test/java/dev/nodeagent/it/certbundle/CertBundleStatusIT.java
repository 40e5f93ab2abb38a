package dev.nodeagent.it.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code /status} and {@code /metrics} of the real agent say about certs that did not go live: a bundle no key
 * of which opens on this host still shows each cert's expiry; a rejected bundle is described apart from the live
 * set, also after a restart.
 */
class CertBundleStatusIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @BeforeAll
    static void tools() {
        CertSandbox.assumeTools();
        AgentProcess.dist();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> certs(Map<String, Object> m) {
        return (List<Map<String, Object>>) m.get("certs");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rejected(ReconcilerStatus s) {
        return (Map<String, Object>) s.details().get("rejected");
    }

    private static String serial(Path crt) throws Exception {
        var c = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(crt));
        return c.getSerialNumber().toString();
    }

    @Test
    void aBundleNotEncryptedToThisHostStillShowsEachCertsExpiryInStatusAndMetrics() throws Exception {
        try (CertSandbox box = new CertSandbox(work.resolve("host"), null)) {
            Path other = box.root.resolve("other/key");
            Files.createDirectories(other.getParent());
            CertSandbox.run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
            Path dir = box.publish(Map.of(), Path.of(other + ".pub"));
            int port = AgentProcess.freePort();
            try (AgentProcess agent = new AgentProcess(box.config(port, "300ms"), work.resolve("agent.log"), port,
                    AgentProcess.newTranscript()).start()) {
                ReconcilerStatus s = agent.awaitCertBundle("NotEncryptedToHost",
                        st -> st.state() == State.FAILED && st.reason().equals("NotEncryptedToHost"), WAIT);
                Map<String, Object> r = rejected(s);
                assertEquals("NotEncryptedToHost", r.get("reason"), s.details().toString());
                List<Map<String, Object>> certs = certs(r);
                assertEquals(List.of("ca", "calico-cni", "kube-proxy", "kubelet"), certs.stream().map(c -> c.get("cert")).toList());
                assertTrue(certs.stream().allMatch(c -> c.get("notAfter") != null), certs.toString());
                Map<String, Object> kubelet = certs.get(3);
                assertEquals(serial(dir.resolve("derived/node1/k8s-kubelet.crt")), kubelet.get("serialNumber"));
                assertEquals("fail", kubelet.get("result"), "its key does not open here");
                assertEquals(List.of(), certs(s.details()), "nothing is live");
                String metrics = agent.get("/metrics");
                assertTrue(metrics.contains("x509_cert_not_after{filepath=\"/var/lib/secrets/derived/node1/k8s-kubelet.crt\""), metrics);
                assertTrue(metrics.contains("subject_CN=\"system:node:node1\""), metrics);
            }
        }
    }

    @Test
    void afterARejectedBundleStatusListsTheLiveSetAndTheRejectedCandidateApartAlsoAfterARestart() throws Exception {
        try (CertSandbox box = new CertSandbox(work.resolve("host"), null)) {
            Path good = box.publish(Map.of(), null);
            String liveSerial = serial(good.resolve("derived/node1/k8s-kubelet.crt"));
            int port = AgentProcess.freePort();
            Path cfg = box.config(port, "300ms");
            List<String> transcript = AgentProcess.newTranscript();
            try (AgentProcess agent = new AgentProcess(cfg, work.resolve("agent.log"), port, transcript).start()) {
                agent.awaitCertBundle("generation 1", st -> st.state() == State.OK
                        && ((Number) st.details().getOrDefault("generation", 0)).longValue() == 1, WAIT);
                Path bad = box.publish(Map.of("ENDDATE", "20210101000000Z"), null);
                String badSerial = serial(bad.resolve("derived/node1/k8s-kubelet.crt"));
                ReconcilerStatus s = agent.awaitCertBundle("ValidityFailed", st -> st.reason().equals("ValidityFailed"), WAIT);
                assertDescribesLiveAndRejected(s, liveSerial, badSerial, true);
                String metrics = agent.get("/metrics");
                assertTrue(metrics.contains("serial_number=\"" + liveSerial + "\"") && !metrics.contains(badSerial), metrics);
            }
            try (AgentProcess agent = new AgentProcess(cfg, work.resolve("agent2.log"), port, transcript).start()) {
                ReconcilerStatus s = agent.awaitCertBundle("ValidityFailed after restart", st -> st.reason().equals("ValidityFailed"), WAIT);
                assertDescribesLiveAndRejected(s, liveSerial, badSerial(box), false);
                String metrics = agent.get("/metrics");
                assertTrue(metrics.contains("x509_cert_not_after{filepath=\"/run/node-agent/certs/kubelet.crt\"")
                        && metrics.contains("serial_number=\"" + liveSerial + "\""), "the live set's metrics after a restart\n" + metrics);
            }
        }
    }

    private static String badSerial(CertSandbox box) throws Exception {
        return serial(box.root.resolve("var/lib/secrets/derived/node1/k8s-kubelet.crt"));
    }

    private static void assertDescribesLiveAndRejected(ReconcilerStatus s, String liveSerial, String badSerial, boolean sameProcess) {
        assertEquals(1L, ((Number) s.details().get("generation")).longValue(), s.details().toString());
        Map<String, Object> liveKubelet = certs(s.details()).stream().filter(c -> "kubelet".equals(c.get("cert"))).findFirst().orElseThrow();
        assertEquals(liveSerial, liveKubelet.get("serialNumber"), "certs are the live generation's\n" + s.details());
        assertEquals("ok", liveKubelet.get("result"));
        if (!sameProcess) {
            assertEquals("/run/node-agent/certs/kubelet.crt", liveKubelet.get("source"), "read back from the live generation");
        }
        Map<String, Object> r = rejected(s);
        assertEquals("ValidityFailed", r.get("reason"));
        assertTrue(String.valueOf(r.get("message")).contains("check validity failed"), r.toString());
        Map<String, Object> badKubelet = certs(r).stream().filter(c -> "kubelet".equals(c.get("cert"))).findFirst().orElseThrow();
        assertEquals(badSerial, badKubelet.get("serialNumber"));
        assertEquals("fail", badKubelet.get("result"));
        assertFalse(s.details().toString().contains("PRIVATE KEY"));
    }
}
