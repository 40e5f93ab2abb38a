package dev.nodeagent.agent.reconcilers.kubeconfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.State;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class KubeconfigsReconcilerTest {

    static final String WORKER = """
            clusterName: ducksnest-k8s
            server: https://100.64.0.1:6443
            """;
    static final List<String> WORKER_FILES = List.of("/var/lib/kubelet/kubeconfig", "/var/lib/kube-proxy/kubeconfig",
            "/etc/cni/net.d/calico-kubeconfig");

    @TempDir
    Path root;
    KubeconfigsFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void workerKubeconfigsLoadBackWithFabric8AndNameTheRightUserClusterContextAndFiles() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");

        Outcome o = f.pass();

        assertEquals(State.OK, o.state(), o.message());
        assertTrue(o.changed());
        Config kubelet = KubeConfigUtils.parseConfig(f.host("/var/lib/kubelet/kubeconfig").toFile());
        assertEquals("system:node:n1", kubelet.getUsers().getFirst().getName());
        assertEquals("/run/node-agent/certs/kubelet.crt", kubelet.getUsers().getFirst().getUser().getClientCertificate());
        assertEquals("/run/node-agent/certs/kubelet.key", kubelet.getUsers().getFirst().getUser().getClientKey());
        assertEquals("ducksnest-k8s", kubelet.getClusters().getFirst().getName());
        assertEquals("https://100.64.0.1:6443", kubelet.getClusters().getFirst().getCluster().getServer());
        assertEquals("/run/node-agent/certs/ca.crt", kubelet.getClusters().getFirst().getCluster().getCertificateAuthority());
        assertEquals("system:node:n1@ducksnest-k8s", kubelet.getCurrentContext());
        assertEquals("ducksnest-k8s", kubelet.getContexts().getFirst().getContext().getCluster());

        var client = io.fabric8.kubernetes.client.Config.fromKubeconfig(f.read("/etc/cni/net.d/calico-kubeconfig"));
        assertEquals("https://100.64.0.1:6443/", client.getMasterUrl());
        assertEquals("/run/node-agent/certs/calico-cni.crt", client.getClientCertFile());
        assertEquals("calico-cni@ducksnest-k8s", client.getCurrentContext().getName());
        assertEquals("system:kube-proxy",
                KubeConfigUtils.parseConfig(f.host("/var/lib/kube-proxy/kubeconfig").toFile()).getUsers().getFirst().getName());
        for (String p : WORKER_FILES) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.host(p))), p);
        }
        assertFalse(Files.exists(f.host("/etc/kubernetes/admin.kubeconfig")), "workers get no admin kubeconfig");
    }

    @Test
    void oneUnwritableKubeconfigIsReportedByNameAndTheOthersAreStillWritten() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        // A file where the directory should be: the write fails for root too (as a read-only mount does under
        // the service sandbox), and it is the second of three files, so a stop-at-first-failure loop shows.
        Files.createDirectories(f.host("/var/lib"));
        Files.writeString(f.host("/var/lib/kube-proxy"), "not a directory");

        Outcome o = f.pass();

        assertEquals(State.FAILED, o.state(), o.message());
        assertTrue(o.message().contains("/var/lib/kube-proxy/kubeconfig"), o.message());
        assertFalse(o.message().contains("/var/lib/kubelet/kubeconfig"), o.message());
        assertTrue(Files.isRegularFile(f.host("/var/lib/kubelet/kubeconfig")), "kubelet kubeconfig written");
        assertTrue(Files.isRegularFile(f.host("/etc/cni/net.d/calico-kubeconfig")), "calico kubeconfig written");
        assertTrue(o.changed());
    }

    @Test
    void theRealKubectlConfigViewReadsTheRenderedKubeconfigs() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed (Debian package kubernetes-client); skipping "
                + "the kubectl round trip");
        f = new KubeconfigsFixture(root, "worker", WORKER + "files:\n  - name: kube-proxy\n    embed: true\n");
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        f.pass();

        JsonNode kubelet = kubectlView(kubectl, f.host("/var/lib/kubelet/kubeconfig"));
        assertEquals("system:node:n1@ducksnest-k8s", kubelet.get("current-context").stringValue());
        assertEquals("system:node:n1", kubelet.at("/users/0/name").stringValue());
        assertEquals("/run/node-agent/certs/kubelet.crt", kubelet.at("/users/0/user/client-certificate").stringValue());
        assertEquals("/run/node-agent/certs/kubelet.key", kubelet.at("/users/0/user/client-key").stringValue());
        assertEquals("https://100.64.0.1:6443", kubelet.at("/clusters/0/cluster/server").stringValue());
        assertEquals("/run/node-agent/certs/ca.crt", kubelet.at("/clusters/0/cluster/certificate-authority").stringValue());
        assertEquals("ducksnest-k8s", kubelet.at("/contexts/0/context/cluster").stringValue());
        assertEquals("system:node:n1", kubelet.at("/contexts/0/context/user").stringValue());

        JsonNode proxy = kubectlView(kubectl, f.host("/var/lib/kube-proxy/kubeconfig"));
        assertEquals(Files.readString(f.certDir.resolve("kube-proxy.crt")), new String(Base64.getDecoder().decode(
                proxy.at("/users/0/user/client-certificate-data").stringValue())));
    }

    /** {@code kubectl config view --raw -o json} of one file: kubectl's own parse of what we wrote. */
    private static JsonNode kubectlView(Path kubectl, Path file) throws Exception {
        Process p = new ProcessBuilder(kubectl.toString(), "config", "view", "--raw", "-o", "json", "--kubeconfig",
                file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "kubectl timed out");
        assertEquals(0, p.exitValue(), "kubectl config view failed: " + out);
        return ApiJson.mapper().readTree(out);
    }

    @Test
    void aSecondPassWritesNothingAndKeepsInodeAndMtime() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        f.pass();
        Object inode = Files.getAttribute(f.host(WORKER_FILES.get(0)), "unix:ino");
        FileTime mtime = Files.getLastModifiedTime(f.host(WORKER_FILES.get(0)));

        Outcome second = f.pass();

        assertEquals(State.OK, second.state());
        assertFalse(second.changed(), second.message());
        assertEquals("UpToDate", second.reason());
        assertEquals(inode, Files.getAttribute(f.host(WORKER_FILES.get(0)), "unix:ino"));
        assertEquals(mtime, Files.getLastModifiedTime(f.host(WORKER_FILES.get(0))));
    }

    @Test
    void aHandEditIsPutBackAndCountedAsDrift() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        f.pass();
        String good = f.read("/var/lib/kubelet/kubeconfig");
        Files.writeString(f.host("/var/lib/kubelet/kubeconfig"), good.replace("100.64.0.1", "10.0.0.1"));
        Files.delete(f.host("/etc/cni/net.d/calico-kubeconfig"));

        Outcome o = f.pass();

        assertTrue(o.changed());
        assertTrue(o.message().contains("put back hand edits of /var/lib/kubelet/kubeconfig"), o.message());
        assertEquals(good, f.read("/var/lib/kubelet/kubeconfig"));
        assertEquals(1.0, f.drift("/var/lib/kubelet/kubeconfig"));
        assertEquals(1.0, f.drift("/etc/cni/net.d/calico-kubeconfig"));
        assertEquals(0.0, f.drift("/var/lib/kube-proxy/kubeconfig"));
        assertTrue(f.metrics.scrape(null).body().contains(
                "node_agent_drift_corrected_total{path=\"/var/lib/kubelet/kubeconfig\",reconciler=\"kubeconfigs\"} 1.0"));
    }

    @Test
    void theFirstPassAfterAStartDoesNotCallAForeignFileDrift() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        Files.createDirectories(f.host("/var/lib/kubelet"));
        Files.writeString(f.host("/var/lib/kubelet/kubeconfig"), "written by generate-kubeconfig.sh\n");

        assertTrue(f.pass().changed());
        assertEquals(0.0, f.drift("/var/lib/kubelet/kubeconfig"), "replacing the old script's output is not drift");
    }

    @Test
    void aMissingCertKeepsItWaitingNotFailedWhileTheOthersAreWritten() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        Outcome none = f.pass();
        assertEquals(State.WAITING, none.state());
        assertEquals("CertMissing", none.reason());
        assertFalse(Files.exists(f.host("/var/lib/kubelet/kubeconfig")));

        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy");
        Outcome some = f.pass();

        assertEquals(State.WAITING, some.state(), some.message());
        assertTrue(some.changed());
        assertTrue(some.message().contains("calico-cni (/run/node-agent/certs/calico-cni.crt, /run/node-agent/certs/calico-cni.key)"),
                some.message());
        assertTrue(Files.exists(f.host("/var/lib/kubelet/kubeconfig")));
        assertFalse(Files.exists(f.host("/etc/cni/net.d/calico-kubeconfig")));
        var check = some.checks().stream().filter(c -> c.name().equals("calico-cni referenced files")).findFirst().orElseThrow();
        assertEquals("warn", check.result());

        TestCerts.make(f.certDir, "calico-cni");
        assertEquals(State.OK, f.pass().state());
        assertTrue(Files.exists(f.host("/etc/cni/net.d/calico-kubeconfig")));
    }

    @Test
    void withoutAServerNothingIsWrittenAndTheReasonSaysSo() throws Exception {
        f = new KubeconfigsFixture(root, "worker", "clusterName: ducksnest-k8s\n");
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");

        Outcome o = f.pass();

        assertEquals(State.WAITING, o.state());
        assertEquals("ServerNotConfigured", o.reason());
        assertFalse(Files.exists(f.host("/var/lib/kubelet/kubeconfig")));
    }

    @Test
    void embedPutsTheBundleBytesInAndARotationRewritesTheFile() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER + "embed: true\n");
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        f.pass();
        Config kc = KubeConfigUtils.parseConfig(f.host("/var/lib/kubelet/kubeconfig").toFile());
        var user = kc.getUsers().getFirst().getUser();
        assertEquals(null, user.getClientCertificate());
        assertEquals(Files.readString(f.certDir.resolve("kubelet.key")),
                new String(Base64.getDecoder().decode(user.getClientKeyData())));
        assertEquals(Files.readString(f.certDir.resolve("ca.crt")),
                new String(Base64.getDecoder().decode(kc.getClusters().getFirst().getCluster().getCertificateAuthorityData())));
        String before = f.read("/var/lib/kubelet/kubeconfig");

        TestCerts.make(f.certDir, "kubelet"); // rotation
        Outcome o = f.pass();

        assertTrue(o.changed());
        assertNotEquals(before, f.read("/var/lib/kubelet/kubeconfig"));
        assertEquals(0.0, f.drift("/var/lib/kubelet/kubeconfig"), "a rotation is not drift");
        assertFalse(o.toString().contains("PRIVATE KEY"), "no key material in the outcome");
    }

    /** A kube-proxy DaemonSet mounts /var/lib/kube-proxy (hostPath) at /host/kube-proxy and cannot see the bundle. */
    static final String DAEMONSET = WORKER + """
            files:
              - name: kube-proxy
                copyCertsTo: /var/lib/kube-proxy/pki
                mountedAt: /host/kube-proxy/pki
            """;

    @Test
    void copyCertsToKeepsCopiesWhereThePodMountsThemAndTheKubeconfigReferencesThePodsPath() throws Exception {
        f = new KubeconfigsFixture(root, "worker", DAEMONSET);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");

        Outcome o = f.pass();

        assertEquals(State.OK, o.state(), o.message());
        Config kc = KubeConfigUtils.parseConfig(f.host("/var/lib/kube-proxy/kubeconfig").toFile());
        assertEquals("/host/kube-proxy/pki/kube-proxy.crt", kc.getUsers().getFirst().getUser().getClientCertificate());
        assertEquals("/host/kube-proxy/pki/kube-proxy.key", kc.getUsers().getFirst().getUser().getClientKey());
        assertEquals("/host/kube-proxy/pki/ca.crt", kc.getClusters().getFirst().getCluster().getCertificateAuthority());
        for (String name : List.of("ca.crt", "kube-proxy.crt", "kube-proxy.key")) {
            assertEquals(Files.readString(f.certDir.resolve(name)), f.read("/var/lib/kube-proxy/pki/" + name), name);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.host("/var/lib/kube-proxy/pki/kube-proxy.key"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.host("/var/lib/kube-proxy/pki/kube-proxy.crt"))));
        assertEquals("/run/node-agent/certs/kubelet.crt", KubeConfigUtils.parseConfig(
                f.host("/var/lib/kubelet/kubeconfig").toFile()).getUsers().getFirst().getUser().getClientCertificate(),
                "the others still reference the bundle");
        assertFalse(Files.exists(f.host("/var/lib/kubelet/pki")));
    }

    @Test
    void aRotationRefreshesTheCopiesLeavesTheKubeconfigByteIdenticalAndCountsAsAChange() throws Exception {
        f = new KubeconfigsFixture(root, "worker", DAEMONSET);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        f.pass();
        String kubeconfig = f.read("/var/lib/kube-proxy/kubeconfig");
        assertFalse(f.pass().changed(), "nothing to do on a second pass");

        TestCerts.make(f.certDir, "kube-proxy"); // rotation
        Outcome o = f.pass();

        assertTrue(o.changed(), o.message());
        assertTrue(o.message().contains("kube-proxy's cert copies in /var/lib/kube-proxy/pki"), o.message());
        assertEquals(kubeconfig, f.read("/var/lib/kube-proxy/kubeconfig"), "stable paths: the kubeconfig is not rewritten");
        assertEquals(Files.readString(f.certDir.resolve("kube-proxy.crt")), f.read("/var/lib/kube-proxy/pki/kube-proxy.crt"));
        assertEquals(Files.readString(f.certDir.resolve("kube-proxy.key")), f.read("/var/lib/kube-proxy/pki/kube-proxy.key"));
        assertFalse(o.toString().contains("PRIVATE KEY"), "no key material in the outcome");

        Files.writeString(f.host("/var/lib/kube-proxy/pki/ca.crt"), "tampered\n");
        f.pass();
        assertEquals(Files.readString(f.certDir.resolve("ca.crt")), f.read("/var/lib/kube-proxy/pki/ca.crt"));
        assertEquals(1.0, f.drift("/var/lib/kube-proxy/pki/ca.crt"), "a hand edit of a copy is drift");
    }

    @Test
    void controlPlaneAlsoGetsAdminControllerManagerAndScheduler() throws Exception {
        f = new KubeconfigsFixture(root, "control-plane", "clusterName: ducksnest-k8s\nserver: https://127.0.0.1:6443\n");
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni", "kube-admin", "kube-controller-manager",
                "kube-scheduler");

        Outcome o = f.pass();

        assertEquals(State.OK, o.state(), o.message());
        assertEquals("admin", KubeConfigUtils.parseConfig(f.host("/etc/kubernetes/admin.kubeconfig").toFile())
                .getUsers().getFirst().getName());
        assertEquals("system:kube-controller-manager", KubeConfigUtils.parseConfig(
                f.host("/var/lib/kubernetes/kube-controller-manager.kubeconfig").toFile()).getUsers().getFirst().getName());
        assertEquals("/run/node-agent/certs/kube-scheduler.crt", KubeConfigUtils.parseConfig(
                f.host("/var/lib/kubernetes/kube-scheduler.kubeconfig").toFile()).getUsers().getFirst().getUser().getClientCertificate());
    }

    @Test
    void aServerHostMissingFromTheApiServerCertSansFailsTheCheckButTheFilesAreStillWritten() throws Exception {
        f = new KubeconfigsFixture(root, "worker", WORKER);
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");
        TestCerts.make(f.certDir, "kube-apiserver", "DNS:kubernetes", "IP:10.0.0.5", "IP:127.0.0.1");

        Outcome o = f.pass();

        assertEquals(State.FAILED, o.state());
        assertEquals("APIServerCertSANsFailed", o.reason());
        assertTrue(o.message().contains("/run/node-agent/certs/kube-apiserver.crt has no SAN for 100.64.0.1"), o.message());
        assertTrue(o.message().contains("IP:10.0.0.5"), o.message());
        assertTrue(o.changed());
        assertTrue(Files.exists(f.host("/var/lib/kubelet/kubeconfig")));

        TestCerts.make(f.certDir, "kube-apiserver", "DNS:kubernetes", "IP:10.0.0.5", "IP:100.64.0.1");
        Outcome fixed = f.pass();
        assertEquals(State.OK, fixed.state(), fixed.message());
        assertEquals("ok", fixed.checks().stream().filter(c -> c.name().equals(ApiServerSans.CHECK)).findFirst()
                .orElseThrow().result());
    }

    @Test
    void hooksRunOnlyAfterAWriteAndAFailedHookIsRetried() throws Exception {
        Path log = root.resolve("hook.log");
        Path hook = root.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho ran >> " + log + "\n");
        hook.toFile().setExecutable(true);
        f = new KubeconfigsFixture(root, "worker", WORKER + """
                files:
                  - name: kubelet
                    onChange: %s
                """.formatted(hook));
        TestCerts.bundle(f.certDir, "kubelet", "kube-proxy", "calico-cni");

        f.pass();
        f.pass();
        assertEquals(List.of("ran"), Files.readAllLines(log), "one write, one run");

        Files.writeString(f.host("/var/lib/kube-proxy/kubeconfig"), "edited\n");
        f.pass();
        assertEquals(List.of("ran"), Files.readAllLines(log), "kube-proxy changed, not the kubelet's kubeconfig");

        Files.writeString(f.host("/var/lib/kubelet/kubeconfig"), "edited\n");
        Files.delete(hook); // the hook cannot start now: reported, kept pending
        Outcome failed = f.pass();
        assertEquals(State.FAILED, failed.state());
        assertTrue(failed.message().contains("on-change hook '" + hook + "'"), failed.message());
        Files.writeString(hook, "#!/bin/sh\necho ran >> " + log + "\n");
        hook.toFile().setExecutable(true);
        Outcome retried = f.pass();
        assertEquals(State.OK, retried.state(), retried.message());
        assertEquals(List.of("ran", "ran"), Files.readAllLines(log));
    }
}
