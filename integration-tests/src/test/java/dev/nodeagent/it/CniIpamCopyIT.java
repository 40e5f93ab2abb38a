package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Day one on a real node": a package that ships {@code calico-ipam} as a real copy of {@code calico}. The real
 * daemon on a {@code demo --setup-only} sandbox must leave that file alone (same inode, every pass) and say ok;
 * a different file in its place is still replaced by the link.
 */
class CniIpamCopyIT {

    @Test
    void aCopyOfCalicoIsKeptAndADifferentFileIsRepaired(@TempDir Path tmp) throws Exception {
        int port = Dist.freePort();
        Path sandbox = tmp.resolve("demo");
        Dist.Result setup = Dist.run(Duration.ofSeconds(120), "node-agent", "demo", "--setup-only", "--dir",
                sandbox.toString(), "--listen", "127.0.0.1:" + port);
        assertEquals(0, setup.exitCode(), setup.output());
        Path bin = sandbox.resolve("opt/cni/bin");
        Path calico = bin.resolve("calico");
        Path ipam = bin.resolve("calico-ipam");
        assertTrue(Files.isRegularFile(calico), "the demo sandbox has no " + calico);
        // a real executable's bytes, as a package would ship them: the distribution's launcher stands in for calico
        Files.copy(Dist.bin("node-agent"), calico, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(ipam);
        Files.copy(calico, ipam, StandardCopyOption.COPY_ATTRIBUTES);
        assertTrue(Files.isExecutable(ipam));
        Object inode = Files.getAttribute(ipam, "unix:ino");
        Path config = sandbox.resolve("etc/node-agent/agent.yaml");
        Files.writeString(config, Files.readString(config).replaceAll("interval: \\d+s", "interval: 1s"));

        Path log = tmp.resolve("agent.log");
        Process agent = Dist.start(log, Map.of(), "node-agent", "run", "--config", config.toString());
        try {
            String base = "http://127.0.0.1:" + port;
            assertTrue(Dist.awaitOk(Duration.ofSeconds(60), base + "/readyz"), () -> "not ready:\n" + read(log));
            long firstPass = passes(base);
            // a few passes after the first one: none of them may touch the copy
            assertTrue(Dist.await(Duration.ofSeconds(30), () -> passes(base) >= firstPass + 3), () -> read(log));
            ReconcilerStatus ipamStatus = status(base);
            assertEquals(State.OK, ipamStatus.state(), ipamStatus.toString());
            assertEquals("/opt/cni/bin/calico-ipam (identical to calico)", ipamStatus.message());
            assertFalse(Files.isSymbolicLink(ipam), "the copy was replaced by a link");
            assertEquals(inode, Files.getAttribute(ipam, "unix:ino"), "the copy was replaced");
            assertFalse(read(log).contains("repaired /opt/cni/bin/calico-ipam"), read(log));

            // a different file of the same size (a stale copy from another calico version) is repaired
            byte[] other = Files.readAllBytes(ipam);
            other[other.length - 2] ^= 1;
            Files.write(ipam, other);
            assertTrue(Dist.await(Duration.ofSeconds(30), () -> Files.isSymbolicLink(ipam)), () -> read(log));
            assertEquals(Path.of("calico"), Files.readSymbolicLink(ipam));
            assertTrue(read(log).contains("repaired /opt/cni/bin/calico-ipam -> calico (was a regular file)"), read(log));
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private static ReconcilerStatus status(String base) throws Exception {
        return ApiJson.read(Dist.get(base + "/status").body(), AgentStatus.class).reconciler("cni-ipam-link").orElseThrow();
    }

    /** cni-ipam-link's finished passes, from /metrics. */
    private static long passes(String base) {
        try {
            String prefix = "node_agent_reconcile_total{reconciler=\"cni-ipam-link\",result=\"ok\"} ";
            return Dist.get(base + "/metrics").body().lines().filter(l -> l.startsWith(prefix))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
