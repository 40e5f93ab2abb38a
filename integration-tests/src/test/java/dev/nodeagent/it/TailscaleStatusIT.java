package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent with a fake {@code tailscale} executable first on its PATH that prints the JSON the real CLI
 * prints (the unit test's fixture): the agent finds it by name, reads it, and reports a relayed control-plane
 * peer as a warning and an offline one as failed; without the CLI the reconciler is waiting. Nothing leaves the
 * machine: the reconciler only runs the CLI.
 */
class TailscaleStatusIT {

    @TempDir
    Path dir;

    Process start(Path bin, String peers) throws Exception {
        int port = Dist.freePort();
        Files.createDirectories(dir.resolve("root/run/node-agent"));
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
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
                  nodePrereqs: {enabled: false}
                  nodeConditions: {enabled: false}
                  bootstrapManifests: {enabled: false}
                  tailscaleStatus:
                    interval: 1s
                    controlPlanePeers: [%s]
                """.formatted(dir.resolve("root"), port, peers));
        Process p = Dist.start(dir.resolve("agent.log"), Map.of("PATH", bin + ":/usr/bin:/bin"), "node-agent", "run",
                "--config", config.toString());
        this.port = port;
        return p;
    }

    int port;

    ReconcilerStatus await(Process agent) throws Exception {
        ReconcilerStatus[] last = new ReconcilerStatus[1];
        boolean ok = Dist.await(Duration.ofSeconds(60), () -> {
            try {
                AgentStatus s = ApiJson.read(Dist.get("http://127.0.0.1:" + port + "/status").body(), AgentStatus.class);
                last[0] = s.reconciler("tailscale-status").orElseThrow();
                return last[0].state() != State.PENDING;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(ok, () -> "no tailscale-status; agent log:\n" + read(dir.resolve("agent.log")));
        return last[0];
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void theRealCliShapeIsReadFromAFakeTailscaleOnPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path json = Dist.repo().resolve("agent/src/test/resources/tailscale/status-running.json");
        Path cli = bin.resolve("tailscale");
        Files.writeString(cli, "#!/bin/sh\n# records its arguments, prints what tailscale 1.76 prints\necho \"$@\" > "
                + dir.resolve("args") + "\ncat " + json + "\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process agent = start(bin, "cp1, cp2, cp3");
        try {
            ReconcilerStatus s = await(agent);
            assertEquals(State.FAILED, s.state(), s.toString());
            assertEquals("PeerOffline", s.reason());
            assertEquals("cp3 (cp3) is offline in the tailnet", s.message());
            assertTrue(s.checks().stream().anyMatch(c -> c.name().equals("tailnet peer cp2") && !c.ok()
                    && c.message().startsWith("cp2 (cp2) is relayed via DERP 'nyc'")), s.checks().toString());
            assertTrue(s.checks().stream().anyMatch(c -> c.name().equals("tailnet peer cp1") && c.ok()),
                    s.checks().toString());
            assertEquals("--socket " + dir.resolve("root/run/tailscale/tailscaled.sock") + " status --json",
                    Files.readString(dir.resolve("args")).strip());
            String metrics = Dist.get("http://127.0.0.1:" + port + "/metrics").body();
            assertTrue(metrics.contains("node_agent_tailscale_peer_direct{peer=\"cp1\"} 1.0"), metrics);
            assertTrue(metrics.contains("node_agent_tailscale_peer_direct{peer=\"cp2\"} 0.0"), metrics);
            assertTrue(metrics.contains("node_agent_tailscale_key_expiry_timestamp_seconds 1.8" ), metrics);
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void withoutTheCliTheLocalApiSocketAnswers() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("no-cli-bin"));
        Path sock = Files.createDirectories(dir.resolve("root/run/tailscale")).resolve("tailscaled.sock");
        byte[] body = Files.readAllBytes(Dist.repo().resolve("agent/src/test/resources/tailscale/status-running.json"));
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread.ofVirtual().start(() -> {
                while (server.isOpen()) {
                    try (java.nio.channels.SocketChannel c = server.accept()) {
                        c.read(java.nio.ByteBuffer.allocate(4096));
                        c.write(java.nio.ByteBuffer.wrap(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length
                                + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                        c.write(java.nio.ByteBuffer.wrap(body));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Process agent = start(bin, "cp1");
            try {
                ReconcilerStatus s = await(agent);
                assertEquals(State.OK, s.state(), s.toString());
                assertEquals("tailscaled Running; 1 of 1 control-plane peer(s) direct", s.message());
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    @Test
    void withoutTailscaleTheReconcilerIsWaiting() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("empty-bin"));
        Process agent = start(bin, "cp1");
        try {
            ReconcilerStatus s = await(agent);
            assertEquals(State.WAITING, s.state(), s.toString());
            assertEquals("TailscaleAbsent", s.reason());
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }
}
