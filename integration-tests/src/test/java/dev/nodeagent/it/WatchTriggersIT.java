package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon on a {@code demo --setup-only} sandbox with every interval an hour: a deleted
 * {@code calico-ipam}, and a whole bin dir deleted and recreated (what the NixOS kubelet does at start), are
 * repaired within seconds, by passes the {@code watch} trigger counted; a burst of 1,000 file events gives a
 * bounded number of passes. Fails on the polling loop (the next pass is an hour away).
 */
class WatchTriggersIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Test
    void deletionsAndARecreatedBinDirAreRepairedAtOnceAndABurstCoalesces(@TempDir Path tmp) throws Exception {
        int port = Dist.freePort();
        Path sandbox = tmp.resolve("demo");
        Dist.Result setup = Dist.run(Duration.ofSeconds(120), "node-agent", "demo", "--setup-only", "--dir",
                sandbox.toString(), "--listen", "127.0.0.1:" + port);
        assertEquals(0, setup.exitCode(), setup.output());
        Path bin = sandbox.resolve("opt/cni/bin");
        Path ipam = bin.resolve("calico-ipam");
        byte[] calico = Files.readAllBytes(bin.resolve("calico"));
        Path config = sandbox.resolve("etc/node-agent/agent.yaml");
        Files.writeString(config, Files.readString(config).replaceAll("interval: \\d+(ms|s|m)", "interval: 1h"));

        Path log = tmp.resolve("agent.log");
        Process agent = Dist.start(log, Map.of(), "node-agent", "run", "--config", config.toString());
        try {
            String base = "http://127.0.0.1:" + port;
            assertTrue(Dist.awaitOk(Duration.ofSeconds(60), base + "/readyz"), () -> "not ready:\n" + read(log));
            assertTrue(Dist.await(SOON, () -> Files.isSymbolicLink(ipam)), () -> read(log));

            for (int i = 0; i < 5; i++) {
                Files.delete(ipam);
                assertTrue(Dist.await(SOON, () -> Files.isSymbolicLink(ipam)), () -> "not restored:\n" + read(log));
            }
            assertTrue(triggers(base, "watch") >= 5, () -> "watch passes " + triggers(base, "watch"));

            // the kubelet's start on NixOS: the whole dir goes, then comes back with calico only
            try (var s = Files.list(bin)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(bin);
            Files.delete(bin.getParent());
            Thread.sleep(200);
            Files.createDirectories(bin);
            Files.write(bin.resolve("calico"), calico);
            assertTrue(Dist.await(SOON, () -> Files.isSymbolicLink(ipam)), () -> "not restored after recreate:\n" + read(log));
            assertEquals(Path.of("calico"), Files.readSymbolicLink(ipam));

            // a burst of 1,000 events in the watched dir: passes coalesce
            awaitQuiet(base);
            long before = triggers(base, "watch");
            for (int i = 0; i < 500; i++) {
                Path junk = bin.resolve("junk-" + i);
                Files.writeString(junk, "x");
                Files.delete(junk);
            }
            awaitQuiet(base);
            long passes = triggers(base, "watch") - before;
            assertTrue(passes >= 1 && passes <= 100, "a burst of 1,000 events made " + passes + " passes");
            assertTrue(Files.isSymbolicLink(ipam));
            assertEquals(0, triggers(base, "interval"), "no pass waited for the interval");
            System.out.println("WatchTriggersIT: 1,000 events -> " + passes + " passes");
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** Until the watch counter stood still for half a second. */
    private static void awaitQuiet(String base) throws InterruptedException {
        long last = -2;
        for (int i = 0; i < 40; i++) {
            long now = triggers(base, "watch");
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
    }

    private static long triggers(String base, String trigger) {
        try {
            String prefix = "node_agent_reconcile_trigger_total{reconciler=\"cni-ipam-link\",trigger=\"" + trigger + "\"} ";
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
