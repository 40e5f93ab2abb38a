package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent's {@code clock-skew} against a real HTTP server on loopback standing in for the API server,
 * reached through a real kubeconfig: a Python {@code http.server} whose {@code Date} header is shifted by
 * {@code SKEW} seconds (every answer, like the API server's 401 to an anonymous request, carries one). A server
 * two minutes ahead is {@code ClockSkew}; one in step is ok.
 */
class ClockSkewIT {

    @TempDir
    Path dir;

    static final String SERVER = """
            import email.utils, http.server, sys, time
            skew = float(sys.argv[2])
            class H(http.server.BaseHTTPRequestHandler):
                def date_time_string(self, timestamp=None):
                    return email.utils.formatdate(time.time() + skew, usegmt=True)
                def do_GET(self):
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                def log_message(self, *a):
                    pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
            """;

    ReconcilerStatus run(int skewSeconds) throws Exception {
        int apiPort = Dist.freePort();
        Path py = Files.writeString(dir.resolve("api.py"), SERVER);
        Process api = new ProcessBuilder("python3", py.toString(), Integer.toString(apiPort), Integer.toString(skewSeconds))
                .redirectErrorStream(true).redirectOutput(dir.resolve("api.log").toFile()).start();
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("run/node-agent"));
        Path kubeconfig = Files.createDirectories(root.resolve("var/lib/kubelet")).resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "http://127.0.0.1:%d"}
                users:
                - name: u
                  user: {}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                current-context: x
                """.formatted(apiPort));
        int port = Dist.freePort();
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                node: {name: w1, role: worker}
                hostRoot: %s
                http: {listen: "127.0.0.1:%d"}
                controlSocket: /run/node-agent/control.sock
                reconcilers:
                  certBundle: {enabled: false}
                  kubeconfigs: {enabled: false}
                  cniConfig: {enabled: false}
                  cniIpamLink: {enabled: false}
                  tailnet: {enabled: false}
                  tailscaleStatus: {enabled: false}
                  nodePrereqs: {enabled: false}
                  nodeConditions: {enabled: false}
                  bootstrapManifests: {enabled: false}
                  clockSkew:
                    interval: 1s
                    maxSkew: 30s
                """.formatted(root, port));
        Process agent = Dist.start(dir.resolve("agent.log"), Map.of(), "node-agent", "run", "--config", config.toString());
        try {
            ReconcilerStatus[] last = new ReconcilerStatus[1];
            boolean done = Dist.await(Duration.ofSeconds(60), () -> {
                try {
                    AgentStatus s = ApiJson.read(Dist.get("http://127.0.0.1:" + port + "/status").body(), AgentStatus.class);
                    last[0] = s.reconciler("clock-skew").orElseThrow();
                    return last[0].state() == State.OK || last[0].state() == State.FAILED;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(done, () -> "clock-skew: " + last[0] + "\n" + read(dir.resolve("agent.log")));
            return last[0];
        } finally {
            agent.destroy();
            agent.waitFor();
            api.destroy();
            api.waitFor();
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void aServerTwoMinutesAheadIsClockSkew() throws Exception {
        assumeTrue(Dist.hasTool("python3"), "ClockSkewIT needs python3 for the stand-in API server; skipped");
        ReconcilerStatus s = run(120);
        assertEquals(State.FAILED, s.state(), s.toString());
        assertEquals("ClockSkew", s.reason());
        assertTrue(s.message().startsWith("the local clock is 2m0s behind the API server")
                || s.message().startsWith("the local clock is 1m59s behind the API server"), s.message());
    }

    @Test
    void aServerInStepIsOk() throws Exception {
        assumeTrue(Dist.hasTool("python3"), "ClockSkewIT needs python3 for the stand-in API server; skipped");
        ReconcilerStatus s = run(0);
        assertEquals(State.OK, s.state(), s.toString());
        assertTrue(s.message().startsWith("the local clock is within 30s of the API server"), s.message());
    }
}
