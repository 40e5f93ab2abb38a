package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.api.json.ApiJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real distribution on a temp host root with real openssl certs at the stable paths: kubeconfigs and the
 * Calico conflist appear, show in /status, load in the real kubectl, and a hand edit is put back and counted.
 */
class KubeconfigsCniConfigIT {

    @TempDir
    Path root;
    Process agent;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy(); // SIGTERM: a clean stop
            if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            agent = null;
        }
    }

    @Test
    void writesKubeconfigsAndConflistShowsThemInStatusAndPutsBackAHandEdit() throws Exception {
        String base = start("""
                  kubeconfigs:
                    interval: 1s
                    clusterName: ducksnest-k8s
                    server: https://127.0.0.1:6443
                    certDir: /srv/certs
                """);

        JsonNode status = await(base + "/status", body -> state(body, "kubeconfigs").equals("ok")
                && state(body, "cni-config").equals("ok"));

        JsonNode kube = reconciler(status, "kubeconfigs");
        assertEquals("/var/lib/kubelet/kubeconfig", kube.at("/details/kubelet").stringValue());
        assertEquals("/srv/certs", kube.at("/details/certDir").stringValue());
        JsonNode cni = reconciler(status, "cni-config");
        assertEquals(1230, cni.at("/details/mtu").intValue());
        assertTrue(Files.readString(root.resolve("etc/cni/net.d/10-calico.conflist")).contains("\"type\" : \"calico-ipam\""));
        if (Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
            String view = run(List.of("kubectl", "config", "view", "-o", "jsonpath={.users[0].name} {.users[0].user.client-certificate}",
                    "--kubeconfig", root.resolve("var/lib/kubelet/kubeconfig").toString()));
            assertEquals("system:node:laptop1 /srv/certs/kubelet.crt", view.strip());
        } else {
            System.out.println("kubectl is not installed (Debian package kubernetes-client); skipping the kubectl view");
        }

        Path kubelet = root.resolve("var/lib/kubelet/kubeconfig");
        String good = Files.readString(kubelet);
        Object conflistInode = Files.getAttribute(root.resolve("etc/cni/net.d/10-calico.conflist"), "unix:ino");
        Files.writeString(kubelet, good.replace("127.0.0.1:6443", "127.0.0.2:6443"));
        awaitText(base + "/metrics", m -> m.contains(
                "node_agent_drift_corrected_total{path=\"/var/lib/kubelet/kubeconfig\",reconciler=\"kubeconfigs\"} 1.0"));
        assertEquals(good, Files.readString(kubelet));
        assertEquals(conflistInode, Files.getAttribute(root.resolve("etc/cni/net.d/10-calico.conflist"), "unix:ino"),
                "an unchanged conflist is never rewritten");
    }

    /**
     * A kubeconfigs onChange hook that only works under {@code /bin/sh -c} (quotes, {@code &&}, a pipe, $VARS)
     * fails while {@code allow} is absent; the agent is stopped and started again with the kubeconfigs already in
     * place (so no new change schedules it): the hook must come back from the state directory, run, succeed,
     * and its pending record must be gone. The old code split on spaces (the hook could never run) and kept
     * pending hooks in memory only (a restart forgot them).
     */
    @Test
    void aFailedOnChangeHookSurvivesARestartAndRunsUnderSh() throws Exception {
        Path allow = root.resolve("allow");
        Path log = root.resolve("hook.log");
        String section = """
                  kubeconfigs:
                    interval: 1s
                    server: https://127.0.0.1:6443
                    certDir: /srv/certs
                    files:
                      - name: kubelet
                        onChange: "test -e '%s' && echo \\"restart after $NODE_AGENT_RECONCILER: $NODE_AGENT_CHANGED\\" | tr a-z A-Z >> '%s'"
                """.formatted(allow, log);
        String base = start(section);
        JsonNode failing = await(base + "/status", body -> reconciler(body, "kubeconfigs") != null
                && reconciler(body, "kubeconfigs").at("/details/pendingHooks").size() == 1
                && reconciler(body, "kubeconfigs").at("/details/pendingHooks/0/attempts").intValue() >= 1);
        JsonNode kube = reconciler(failing, "kubeconfigs");
        assertEquals("failed", kube.get("state").stringValue(), kube.toString());
        assertTrue(kube.at("/details/pendingHooks/0/command").stringValue().startsWith("test -e"), kube.toString());
        assertEquals("exited 1", kube.at("/details/pendingHooks/0/lastError").stringValue(), kube.toString());
        Path pending = root.resolve("var/lib/node-agent/hooks/kubeconfigs.json");
        assertTrue(Files.readString(pending).contains("/var/lib/kubelet/kubeconfig"), Files.readString(pending));
        assertTrue(Files.notExists(log));
        stop();

        Files.writeString(allow, "");
        Object inode = Files.getAttribute(root.resolve("var/lib/kubelet/kubeconfig"), "unix:ino");
        base = start(section);
        JsonNode ok = await(base + "/status", body -> state(body, "kubeconfigs").equals("ok"));
        assertEquals(0, reconciler(ok, "kubeconfigs").at("/details/pendingHooks").size(), ok.toString());
        assertEquals("RESTART AFTER KUBECONFIGS: /VAR/LIB/KUBELET/KUBECONFIG\n", Files.readString(log));
        assertTrue(Files.notExists(pending), "the pending record is cleared once the hook succeeded");
        assertEquals(inode, Files.getAttribute(root.resolve("var/lib/kubelet/kubeconfig"), "unix:ino"),
                "the kubeconfig was not rewritten: the hook ran because it was pending, not because of a new change");
        Thread.sleep(3000); // three more passes: a hook that succeeded is not run again
        assertEquals(1, Files.readAllLines(log).size());
    }

    /** Certs, CNI plugin stubs and agent.yaml with {@code reconcilersYaml} under {@code reconcilers:}; starts the agent. */
    private String start(String reconcilersYaml) throws Exception {
        Path dist = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent"));
        assumeTrue(Files.isExecutable(dist.resolve("bin/node-agent")), "no distribution at " + dist + "; run package first");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed; skipping");
        Path certs = Files.createDirectories(root.resolve("srv/certs"));
        for (String name : List.of("ca", "kubelet", "kube-proxy", "calico-cni")) {
            if (Files.exists(certs.resolve(name + ".crt"))) {
                continue;
            }
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=" + name, "-keyout", certs.resolve(name + ".key").toString(),
                    "-out", certs.resolve(name + ".crt").toString()));
        }
        Path bin = Files.createDirectories(root.resolve("opt/cni/bin"));
        for (String plugin : List.of("calico", "portmap")) { // calico-ipam: made by cni-ipam-link
            Files.writeString(bin.resolve(plugin), "#!/bin/sh\n");
            bin.resolve(plugin).toFile().setExecutable(true);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = root.resolve("agent.yaml");
        Files.writeString(config, """
                node:
                  name: laptop1
                  role: worker
                hostRoot: %s
                http:
                  listen: 127.0.0.1:%d
                log:
                  level: info
                  format: text
                reconcilers:
                  nodeConditions:
                    enabled: false
                  cniConfig:
                    interval: 1s
                  cniIpamLink:
                    interval: 1s
                """.formatted(root, port) + reconcilersYaml);
        agent = new ProcessBuilder(dist.resolve("bin/node-agent").toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("agent.log").toFile()))
                .start();
        return "http://127.0.0.1:" + port;
    }

    private static String state(JsonNode status, String name) {
        JsonNode r = reconciler(status, name);
        return r == null ? "" : r.get("state").stringValue();
    }

    private static JsonNode reconciler(JsonNode status, String name) {
        for (JsonNode r : status.get("reconcilers")) {
            if (r.get("name").stringValue().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private JsonNode await(String url, Predicate<JsonNode> done) throws Exception {
        String[] last = {""};
        awaitText(url, body -> {
            last[0] = body;
            return done.test(ApiJson.mapper().readTree(body));
        });
        return ApiJson.mapper().readTree(last[0]);
    }

    private void awaitText(String url, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                fail("agent exited " + agent.exitValue() + ": " + Files.readString(root.resolve("agent.log")));
            }
            try {
                body = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (done.test(body)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("timed out waiting on " + url + "; last body: " + body + "\nlog: " + Files.readString(root.resolve("agent.log")));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
