package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nodeagent.api.json.ApiJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real daemon ({@code bin/node-agent demo}) and the real {@code bin/agentctl} over its control socket, with a
 * real datagram socket (a small Python receiver, as systemd would be) as NOTIFY_SOCKET. One daemon for the class:
 * each start costs seconds on a loaded machine. The last test stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlSocketIT {

    static final String RECEIVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            with open(sys.argv[2], "a") as out:
                print("listening", flush=True)
                while True:
                    msg = s.recv(4096).decode()
                    out.write(msg.replace("\\n", "|") + "\\n")
                    out.flush()
            """;

    Path dist;
    Path dir;
    Path sock;
    Path notifyLog;
    Path daemonLog;
    int port;
    Process daemon;
    Process receiver;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startDaemon(@TempDir Path tmp) throws Exception {
        dist = Path.of(System.getProperty("nodeagent.dist", "packaging/target/node-agent"));
        Assumptions.assumeTrue(Files.isExecutable(dist.resolve("bin/node-agent")), "no distribution at " + dist);
        dir = tmp;
        sock = dir.resolve("run/node-agent/control.sock");
        notifyLog = dir.resolve("notify.log");
        daemonLog = dir.resolve("daemon.log");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // The demo sandbox and config, with every interval raised to 1 h: only forced passes run, so
        // /status stays still while agentctl (a JVM start, seconds on a busy machine) is asked the same thing.
        Run setup = run(List.of(dist.resolve("bin/node-agent").toString(), "demo", "--setup-only", "--dir",
                dir.resolve("host").toString(), "--listen", "127.0.0.1:" + port), Map.of());
        assertEquals(0, setup.exit, setup.toString());
        Path config = dir.resolve("host/etc/node-agent/agent.yaml");
        Files.writeString(config, Files.readString(config).replaceAll("interval: \\d+s", "interval: 1h"));
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/node-agent").toString(), "run", "--config",
                config.toString());
        sock = dir.resolve("host/run/node-agent/control.sock");
        if (onPath("python3")) {
            Path notify = dir.resolve("notify.sock");
            Path script = dir.resolve("receiver.py");
            Files.writeString(script, RECEIVER);
            receiver = new ProcessBuilder("python3", script.toString(), notify.toString(), notifyLog.toString())
                    .redirectErrorStream(true).start();
            receiver.getInputStream().read(); // "listening": bound before the daemon starts
            pb.environment().put("NOTIFY_SOCKET", notify.toString());
            pb.environment().put("WATCHDOG_USEC", "2000000"); // a ping every second
        }
        daemon = pb.redirectErrorStream(true).redirectOutput(daemonLog.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(sock) && "READY".equals(httpStatusOrNull().path("health").asString())) {
                return;
            }
            if (!daemon.isAlive()) {
                fail("daemon exited " + daemon.exitValue() + ":\n" + Files.readString(daemonLog));
            }
            Thread.sleep(200);
        }
        fail("daemon not ready within 60 s:\n" + Files.readString(daemonLog));
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(15, TimeUnit.SECONDS);
        }
        if (receiver != null) {
            receiver.destroy();
        }
    }

    @Test
    @Order(1)
    void statusAsJsonIsTheSameDocumentAsHttpStatus() throws Exception {
        // A pass may land between the two reads; bracket agentctl by two /status reads and compare only when the
        // brackets agree (nothing ran in between) — then the documents must be equal field for field, timing
        // fields included.
        for (int attempt = 0; attempt < 8; attempt++) {
            JsonNode before = httpStatus();
            Run r = agentctl("status", "-o", "json", "--socket", sock.toString());
            JsonNode after = httpStatus();
            assertEquals(0, r.exit, r.toString());
            if (before.equals(after)) {
                assertEquals(before, ApiJson.mapper().readTree(r.out), "agentctl status -o json vs GET /status");
                return;
            }
        }
        fail("a pass ran between every pair of reads; could not compare");
    }

    @Test
    @Order(2)
    void tableAndYamlShowTheReconciler() throws Exception {
        Run table = agentctl("status", "-o", "table", "--socket", sock.toString());
        assertEquals(0, table.exit, table.toString());
        assertTrue(table.out.contains("NAME") && table.out.contains("cni-ipam-link"), table.out);
        assertTrue(!table.out.contains("\u001b["), "no colour when stdout is not a terminal");
        Run yaml = agentctl("status", "-o", "yaml", "--socket", sock.toString());
        assertTrue(yaml.out.contains("node: demo-node") && yaml.out.contains("- name: cni-ipam-link"), yaml.out);
    }

    @Test
    @Order(3)
    void resyncWaitRunsTheReconcilerAndReportsItsOutcome() throws Exception {
        Instant before = Instant.parse(ipamStatus().path("lastRunAt").asString());
        Run r = agentctl("resync", "cni-ipam-link", "--wait", "--timeout", "30s", "--socket", sock.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.startsWith("cni-ipam-link: ok ("), r.out);
        Instant after = Instant.parse(ipamStatus().path("lastRunAt").asString());
        assertTrue(after.isAfter(before), "lastRunAt moved: " + before + " -> " + after);
    }

    @Test
    @Order(4)
    void anUnknownNameIsAUsageErrorListingTheValidNames() throws Exception {
        Run r = agentctl("resync", "no-such-thing", "--socket", sock.toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("unknown reconciler no-such-thing; valid: ") && r.err.contains("cni-ipam-link"), r.err);
    }

    @Test
    @Order(5)
    void checkAndVersionTalkToTheDaemon() throws Exception {
        Run check = agentctl("check", "--socket", sock.toString());
        assertEquals(0, check.exit, check.toString());
        assertTrue(check.out.contains("cni-ipam-link: OK") && check.out.matches("(?s).*\\b\\d+/\\d+ ok.*"), check.out);
        Run version = agentctl("version", "--socket", sock.toString());
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.contains("client: agentctl ") && version.out.contains("daemon: node-agent ")
                && version.out.contains("pid " + daemon.pid()), version.out);
    }

    @Test
    @Order(5)
    void theSocketMayComeBeforeTheCommandAsKubectlUsersTypeIt() throws Exception {
        // status and version run on agentctl's fast path, check and resync through picocli: both must take it.
        Run status = agentctl("--socket", sock.toString(), "status", "-o", "yaml");
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("node: demo-node"), status.out);
        Run version = agentctl("--socket=" + sock, "version");
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.contains("pid " + daemon.pid()), version.out);
        Run check = agentctl("--socket", sock.toString(), "check");
        assertEquals(0, check.exit, check.toString());
        assertTrue(check.out.contains("cni-ipam-link: OK"), check.out);
        Run resync = agentctl("--socket", sock.toString(), "resync", "cni-ipam-link", "--wait", "--timeout", "30s");
        assertEquals(0, resync.exit, resync.toString());
        assertTrue(resync.out.startsWith("cni-ipam-link: ok ("), resync.out);
    }

    @Test
    @Order(6)
    void aGarbageFrameAndATenMebibyteFrameAreRejectedAndTheDaemonKeepsServing() throws Exception {
        assertTrue(raw("this is not json\n".getBytes(StandardCharsets.UTF_8)).contains("\"error\":\"BadRequest\""));
        byte[] huge = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'x');
        huge[huge.length - 1] = '\n';
        String reply = raw(huge);
        assertTrue(reply.contains("\"error\":\"FrameTooLarge\""), reply);
        assertTrue(raw("{\"v\":1,\"op\":\"version\"}\n".getBytes(StandardCharsets.UTF_8)).contains("\"ok\":true"));
        assertTrue(daemon.isAlive());
    }

    @Test
    @Order(7)
    void anUnprivilegedPeerIsRefusedWithAClearMessage() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && onPath("setpriv"),
                "needs root and setpriv to act as nobody");
        // nobody must be able to reach the socket file: open the temp dirs on the way for traversal only.
        for (Path p = sock.getParent(); p != null && p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        // 1. The file mode (0600) stops nobody at connect().
        Run denied = asNobody("status", "--socket", sock.toString());
        assertEquals(3, denied.exit, denied.toString());
        assertTrue(denied.err.contains("Permission denied") && denied.err.contains("hint:"), denied.err);
        // 2. With the file opened up, SO_PEERCRED still refuses, and the daemon logs who it was.
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        Run refused = asNobody("status", "--socket", sock.toString());
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        assertEquals(3, refused.exit, refused.toString());
        assertTrue(refused.err.contains("refused by node-agent: not authorized: uid 65534"), refused.err);
        assertTrue(Files.readString(daemonLog).contains("control socket: refused uid=65534"), "logged with uid/pid");
    }

    @Test
    @Order(8)
    void aSecondAgentOnTheSameSocketRefusesToStart() throws Exception {
        Path cfg = dir.resolve("second.yaml");
        int otherPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            otherPort = s.getLocalPort();
        }
        Files.writeString(cfg, "node: {name: second, role: worker}\nhostRoot: " + dir.resolve("host")
                + "\nhttp: {listen: 127.0.0.1:" + otherPort + "}\n");
        Run second = run(List.of(dist.resolve("bin/node-agent").toString(), "run", "--config", cfg.toString()), Map.of());
        assertEquals(1, second.exit, second.toString());
        assertTrue(second.err.contains("another node-agent is already serving " + sock + " (pid " + daemon.pid() + ")"),
                second.err);
        assertTrue(Files.exists(sock), "the live agent's socket is left alone");
    }

    @Test
    @Order(9)
    void systemdHearsReadyStatusAndRepeatedWatchdogPings() throws Exception {
        Assumptions.assumeTrue(receiver != null, "needs python3 for the NOTIFY_SOCKET receiver");
        Thread.sleep(2500); // at least two more 1 s pings
        List<String> lines = Files.readAllLines(notifyLog);
        assertTrue(lines.stream().anyMatch(l -> l.matches("READY=1\\|STATUS=\\d+/\\d+ ok.*")), lines.toString());
        assertTrue(lines.stream().filter("WATCHDOG=1"::equals).count() >= 3, lines.toString());
    }

    @Test
    @Order(10)
    void withTheDaemonStoppedAgentctlExits3WithAHint() throws Exception {
        daemon.destroy();
        assertEquals(0, daemon.waitFor(20, TimeUnit.SECONDS) ? daemon.exitValue() : -1, "clean stop on SIGTERM");
        if (receiver != null) {
            assertTrue(Files.readAllLines(notifyLog).contains("STOPPING=1"));
        }
        Run r = agentctl("status", "--socket", sock.toString());
        assertEquals(3, r.exit, r.toString());
        assertTrue(r.err.contains("cannot reach node-agent at " + sock) && r.err.contains("is node-agent running?"), r.err);
    }

    // --- helpers ---

    record Run(int exit, String out, String err) {
    }

    Run agentctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/agentctl").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    Run asNobody(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                distForNobody().resolve("bin/agentctl").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("NODE_AGENT_NATIVE_DIR", "/tmp")); // jffi unpacks its .so there; nobody can write it
    }

    /**
     * The distribution where nobody can run it: the checkout may sit below a directory only root may enter (a
     * fresh clone in a 0700 temp dir), so the test copies it next to the socket, whose dirs it opened for traversal.
     */
    Path distForNobody() throws Exception {
        Path copy = dir.resolve("dist-for-nobody");
        if (!Files.exists(copy)) {
            Run cp = run(List.of("cp", "-a", dist.toAbsolutePath().toString(), copy.toString()), Map.of());
            assertEquals(0, cp.exit, cp.toString());
        }
        return copy;
    }

    static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().remove("NOTIFY_SOCKET");
        Path out = Files.createTempFile("ctl-it", ".out");
        Path err = Files.createTempFile("ctl-it", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** One raw request on the socket (JDK Unix stream channel); returns everything the daemon answered. */
    String raw(byte[] frame) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            try {
                ch.write(ByteBuffer.wrap(frame));
            } catch (IOException e) {
                // the daemon may answer and stop reading first; its reply is still there to read
            }
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                // until the daemon closes
            }
            buf.flip();
            return StandardCharsets.UTF_8.decode(buf).toString();
        }
    }

    JsonNode httpStatus() throws Exception {
        JsonNode n = httpStatusOrNull();
        assertNotNull(n.get("node"), "GET /status answered");
        return n;
    }

    JsonNode httpStatusOrNull() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return ApiJson.mapper().readTree(r.body());
        } catch (Exception e) {
            return ApiJson.mapper().createObjectNode();
        }
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }


    /** The cni-ipam-link entry of /status (found by name: the demo runs several reconcilers). */
    JsonNode ipamStatus() throws Exception {
        for (JsonNode r : httpStatus().path("reconcilers")) {
            if (r.path("name").asString().equals("cni-ipam-link")) {
                return r;
            }
        }
        throw new AssertionError("no cni-ipam-link in /status");
    }
}
