package dev.nodeagent.agent.reconcilers.tailscalestatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.tailscalestatus.TailscaleStatusReconciler.Settings;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against {@code tailscale status --json} as the 1.76 CLI prints it (fixture), a fake clock and a fake CLI. */
class TailscaleStatusReconcilerTest {

    @TempDir
    Path root;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Instant now = Instant.parse("2026-12-03T18:00:00Z");
    String stdout;
    int exit;
    boolean cliMissing;
    Resolver resolver = host -> {
        if (host.matches("[0-9.]+")) {
            return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
    };

    static String fixture() throws IOException {
        try (InputStream in = TailscaleStatusReconcilerTest.class.getResourceAsStream("/tailscale/status-running.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    Outcome pass(List<String> peers) throws Exception {
        CommandRunner cli = new CommandRunner() {
            @Override
            public Result run(List<String> command, Duration timeout) throws IOException {
                if (cliMissing) {
                    throw new IOException("Cannot run program \"tailscale\": error=2, No such file or directory");
                }
                assertEquals(List.of("tailscale", "--socket", root.resolve("run/tailscale/tailscaled.sock").toString(),
                        "status", "--json"), command);
                return new Result(exit, stdout, "", false);
            }
        };
        Settings s = new Settings("tailscale", "/run/tailscale/tailscaled.sock", Optional.of(peers), Duration.ofDays(14));
        return new TailscaleStatusReconciler(s, peers, cli, new HostPaths(root), resolver,
                InstantSource.fixed(now), registry).reconcile(new ReconcileContext(now, false, 0));
    }

    static Check check(Outcome o, String name) {
        return o.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no check " + name + " in " + o.checks()));
    }

    @Test
    void aDirectPeerAndAValidKeyAreOk() throws Exception {
        stdout = fixture();
        Outcome o = pass(List.of("100.64.0.1"));
        assertEquals(State.OK, o.state(), o.message());
        assertEquals("tailscaled Running; 1 of 1 control-plane peer(s) direct", o.message());
        assertEquals("100.64.0.1 (cp1) direct via 203.0.113.10:41641", check(o, "tailnet peer 100.64.0.1").message());
        assertEquals("key expires at 2027-05-30T10:00:00Z (in 177 days)", check(o, "tailscale node key").message());
        assertEquals(1.0, registry.get("node_agent_tailscale_peer_direct").tag("peer", "100.64.0.1").gauge().value());
        assertEquals(Instant.parse("2027-05-30T10:00:00Z").getEpochSecond(),
                registry.get("node_agent_tailscale_key_expiry_timestamp_seconds").gauge().value());
    }

    @Test
    void aRelayedPeerIsAWarningNamingTheDerpRegion() throws Exception {
        stdout = fixture();
        Outcome o = pass(List.of("cp1", "cp2"));
        assertEquals(State.OK, o.state());
        assertEquals("Warnings", o.reason());
        Check c = check(o, "tailnet peer cp2");
        assertEquals(Severity.WARNING, c.severity());
        assertTrue(c.message().startsWith("cp2 (cp2) is relayed via DERP 'nyc', not direct"), c.message());
        assertEquals(0.0, registry.get("node_agent_tailscale_peer_direct").tag("peer", "cp2").gauge().value());
    }

    @Test
    void anOfflineOrUnknownPeerFails() throws Exception {
        stdout = fixture();
        Outcome o = pass(List.of("cp3.tail1234.ts.net", "100.64.0.99"));
        assertEquals(State.FAILED, o.state());
        assertEquals("PeerOffline", o.reason());
        assertEquals("cp3.tail1234.ts.net (cp3) is offline in the tailnet (+1 more)", o.message());
        assertTrue(check(o, "tailnet peer 100.64.0.99").message().startsWith("100.64.0.99 is not a peer"));
    }

    @Test
    void aKeyExpiringWithinFourteenDaysWarnsAndAnExpiredKeyFails() throws Exception {
        stdout = fixture();
        now = Instant.parse("2027-05-20T10:00:00Z");
        Check soon = check(pass(List.of()), "tailscale node key");
        assertEquals(Severity.WARNING, soon.severity());
        assertTrue(!soon.ok() && soon.message().contains("expires at 2027-05-30T10:00:00Z (in 10 days)"), soon.message());
        now = Instant.parse("2027-05-30T10:00:01Z");
        Outcome expired = pass(List.of());
        assertEquals("TailscaleKeyExpired", expired.reason());
    }

    @Test
    void aLoggedOutBackendFailsWithTheFix() throws Exception {
        stdout = fixture().replace("\"BackendState\": \"Running\"", "\"BackendState\": \"NeedsLogin\"");
        exit = 1;
        Outcome o = pass(List.of("cp1"));
        assertEquals("TailscaleNotRunning", o.reason());
        assertEquals("tailscaled backend state NeedsLogin; run `tailscale up` (the node is logged out or its key expired)",
                o.message());
    }

    @Test
    void withoutTheCliTheLocalApiSocketIsAsked() throws Exception {
        cliMissing = true;
        Path sock = root.resolve("run/tailscale/tailscaled.sock");
        java.nio.file.Files.createDirectories(sock.getParent());
        String body = fixture();
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread t = Thread.ofVirtual().start(() -> {
                try (java.nio.channels.SocketChannel c = server.accept()) {
                    java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(4096);
                    c.read(in);
                    requests.add(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    c.write(java.nio.ByteBuffer.wrap(("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                    c.write(java.nio.ByteBuffer.wrap(b));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Outcome o = pass(List.of("cp1"));
            t.join();
            assertEquals(State.OK, o.state(), o.message());
            assertEquals("tailscaled Running; 1 of 1 control-plane peer(s) direct", o.message());
            assertTrue(requests.getFirst().startsWith("GET /localapi/v0/status HTTP/1.0\r\nHost: local-tailscaled.sock\r\n"),
                    requests.toString());
        }
    }

    @Test
    void withoutTailscaleItIsWaitingNotFailed() throws Exception {
        cliMissing = true;
        Outcome o = pass(List.of("cp1"));
        assertEquals(State.WAITING, o.state());
        assertEquals("TailscaleAbsent", o.reason());
    }
}
