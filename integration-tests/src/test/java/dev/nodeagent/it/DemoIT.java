package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The README's first command, for real: `node-agent demo` as a process, checked over HTTP, stopped with SIGTERM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    private Path tmp;
    private Process agent;
    private String base;
    private Path sandbox;
    private Path log;
    private Path classLog;

    @BeforeAll
    void startDemo() throws Exception {
        tmp = Files.createTempDirectory("demo-it");
        int port = Dist.freePort();
        base = "http://127.0.0.1:" + port;
        sandbox = tmp.resolve("sandbox");
        log = tmp.resolve("agent.log");
        classLog = tmp.resolve("classes.log");
        // the JVM's class-load log (the launcher appends NODE_AGENT_JAVA_OPTS): the footprint test below reads it
        agent = Dist.start(log, Map.of("NODE_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "node-agent", "demo", "--dir", sandbox.toString(), "--listen", "127.0.0.1:" + port);
        assertTrue(Dist.awaitOk(Duration.ofSeconds(60), base + "/readyz"), () -> "demo never became ready:\n" + read(log));
    }

    @AfterAll
    void stopDemo() {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void statusSaysReadyAndTheLinkIsInPlace() throws Exception {
        HttpResponse<String> r = Dist.get(base + "/status");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        AgentStatus status = ApiJson.read(r.body(), AgentStatus.class);
        assertEquals("demo-node", status.node());
        assertEquals("worker", status.role());
        assertEquals(Health.READY, status.health());
        ReconcilerStatus ipam = status.reconciler("cni-ipam-link").orElseThrow();
        assertEquals(State.OK, ipam.state());
        assertEquals(Path.of("calico"), Files.readSymbolicLink(sandbox.resolve("opt/cni/bin/calico-ipam")));
        assertTrue(Files.isRegularFile(sandbox.resolve("etc/node-agent/agent.yaml")));
        assertTrue(Dist.get(base + "/status?pretty").body().startsWith("{\n  \"node\" : \"demo-node\",\n"));
        assertEquals("ok\n", Dist.get(base + "/healthz").body());
        assertEquals("ready\n", Dist.get(base + "/readyz").body());
    }

    @Test
    @Order(2)
    void metricsPassPromtoolInBothFormats() throws Exception {
        HttpResponse<String> text = Dist.get(base + "/metrics");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        for (String name : new String[] {"node_agent_build_info{", "node_agent_reconcile_total{reconciler=\"cni-ipam-link\",result=\"ok\"}",
            "node_agent_reconcile_duration_seconds_count{reconciler=\"cni-ipam-link\"}", "node_agent_reconciler_ok{reconciler=\"cni-ipam-link\"} 1",
            "node_agent_last_success_timestamp_seconds{reconciler=\"cni-ipam-link\"}", "jvm_memory_used_bytes", "process_cpu_usage"}) {
            assertTrue(text.body().contains(name), "missing " + name);
        }
        HttpResponse<String> om = Dist.get(base + "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertTrue(om.headers().firstValue("content-type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().endsWith("# EOF\n"));

        Assumptions.assumeTrue(Dist.hasTool("promtool"), "promtool not installed (Debian package prometheus); skipping lint");
        assertEquals("", promtool(text.body()), "promtool check metrics findings");
    }

    @Test
    @Order(3)
    void aDeletedLinkIsRestoredWithinOneInterval() throws Exception {
        Path link = sandbox.resolve("opt/cni/bin/calico-ipam");
        Files.delete(link);
        // interval 3s ±20%
        assertTrue(Dist.await(Duration.ofSeconds(8), () -> Files.isSymbolicLink(link)), "link not restored");
        assertTrue(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(read(log).contains("repaired /opt/cni/bin/calico-ipam -> calico (was missing)"), read(log));
    }

    @Test
    @Order(4)
    void sigtermStopsCleanlyWithExitZero() throws Exception {
        agent.destroy(); // SIGTERM
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "still running 20 s after SIGTERM");
        assertEquals(0, agent.exitValue(), read(log));
        assertTrue(read(log).contains("stopping"));
    }

    /**
     * The daemon's memory budget: with the AOT cache every class it loads stays resident (≈7 KiB each), and Jackson
     * databind alone is ≈640 classes (≈4-5 MiB). The daemon writes /status and the control protocol, renders and
     * reads conflists and parses iproute2 output on jackson-core's streaming API only ({@code PlainJson}); a use of
     * databind (or of the Jackson annotations it reads) on this path fails here. The demo has served /status in
     * both layouts by now (test 1) and has stopped (test 4), so the log is complete.
     */
    @Test
    @Order(5)
    void theDaemonLoadsNoJacksonDatabind() throws Exception {
        List<String> loaded = Files.readAllLines(classLog).stream()
                .map(l -> l.replaceFirst("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] ", ""))
                .map(l -> l.split(" ", 2)[0]).toList();
        assertTrue(loaded.size() > 1000 && loaded.contains("dev.nodeagent.agent.http.HttpApi"),
                () -> "the class-load log is not the daemon's: " + loaded.size() + " classes");
        assertTrue(loaded.contains("dev.nodeagent.api.json.PlainJson"), "/status is written with PlainJson; the log misses it");
        List<String> databind = loaded.stream().filter(c -> c.startsWith("tools.jackson.databind.")
                || c.startsWith("com.fasterxml.jackson.annotation.")).toList();
        assertEquals(List.of(), databind.subList(0, Math.min(20, databind.size())),
                databind.size() + " Jackson databind/annotation classes loaded by the demo daemon (first 20 shown)");
    }

    private static String promtool(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
