package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent in a network namespace laid out like a laptop node: {@code wlan0} first (192.168.1.23), then
 * {@code eth0} (10.0.0.5) and {@code tailscale0} (100.64.0.2, route 100.64.0.0/10) — veth pairs, as this kernel has
 * no dummy module. {@code first-found} would hand the kubelet the Wi-Fi address; {@code skip-interface} picks eth0,
 * writes {@code NODE_IP=} to the env file, runs the on-change hook, and follows an address change on the next pass.
 * Nothing is sent anywhere ({@code ip addr}, {@code ip route get}). Needs root; skips without it.
 */
class NodeIpIT {

    static Path dist;
    static Netns ns;
    static Path root;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Netns.isRoot(), "NodeIpIT needs root to create network namespaces; skipped");
        assumeTrue(Netns.has("ip"), "NodeIpIT needs iproute2; skipped");
        dist = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent"));
        ns = new Netns("na-nodeip-" + ProcessHandle.current().pid());
        link("wlan0", "192.168.1.23/24");
        link("eth0", "10.0.0.5/24");
        link("tailscale0", "100.64.0.2/32");
        ns.exec("ip", "route", "add", "100.64.0.0/10", "dev", "tailscale0");
        root = Files.createTempDirectory("node-ip-it");
        Files.createDirectories(root.resolve("run/node-agent"));
        Path hook = root.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\ncat " + root.resolve("run/kubelet-env") + " >> " + root.resolve("hook.log") + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static void link(String name, String cidr) throws Exception {
        ns.exec("ip", "link", "add", name, "type", "veth", "peer", "name", name + "-p");
        ns.exec("ip", "addr", "add", cidr, "dev", name);
        ns.exec("ip", "link", "set", name + "-p", "up");
        ns.exec("ip", "link", "set", name, "up");
    }

    static Path config(String file, String method) throws Exception {
        Path p = root.resolve(file);
        Files.writeString(p, """
                node: {name: w1, role: worker}
                hostRoot: %s
                http: {listen: "127.0.0.1:9478"}
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
                  nodeIp:
                    enabled: true
                    interval: 1s
                    method: "%s"
                    onChange: ["%s"]
                """.formatted(root, method, root.resolve("hook.sh")));
        return p;
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String check(String method) throws Exception {
        Files.deleteIfExists(root.resolve("run/kubelet-env"));
        Netns.Result r = Netns.runResult(ns.command(dist.resolve("bin/node-agent").toString(), "check", "--config",
                config("check.yaml", method).toString()), 120);
        assertEquals(0, r.exit(), r.out());
        return read(root.resolve("run/kubelet-env")) + (Files.exists(root.resolve("run/kubelet-env")) ? "" : r.out());
    }

    @Test
    void eachMethodPicksWhatCalicoWouldFromTheRealInterfaces() throws Exception {
        assertEquals("NODE_IP=192.168.1.23\n", check("first-found"), "first-found takes the Wi-Fi: the problem");
        assertEquals("NODE_IP=10.0.0.5\n", check("interface=eth.*"));
        assertEquals("NODE_IP=10.0.0.5\n", check("skip-interface=wlan.*"));
        assertEquals("NODE_IP=100.64.0.2\n", check("cidr=100.64.0.0/10"));
        assertEquals("NODE_IP=100.64.0.2\n", check("can-reach=100.64.0.1"));
    }

    @Test
    void theDaemonFollowsAnAddressChangeAndRunsTheHookOncePerChange() throws Exception {
        Files.deleteIfExists(root.resolve("run/kubelet-env"));
        Files.deleteIfExists(root.resolve("hook.log"));
        Process agent = new ProcessBuilder(ns.command(dist.resolve("bin/node-agent").toString(), "run", "--config",
                config("agent.yaml", "skip-interface=wlan.*").toString())).redirectErrorStream(true)
                .redirectOutput(root.resolve("agent.log").toFile()).start();
        Path env = root.resolve("run/kubelet-env");
        Path log = root.resolve("hook.log");
        try {
            assertTrue(Dist.await(Duration.ofSeconds(60), () -> read(log).equals("NODE_IP=10.0.0.5\n")),
                    () -> "hook log: " + read(log) + "\nagent log:\n" + read(root.resolve("agent.log")));
            assertEquals("NODE_IP=10.0.0.5\n", read(env));
            // DHCP moved eth0 to another subnet (added first: deleting a primary address drops its secondaries)
            ns.exec("ip", "addr", "add", "10.0.1.50/24", "dev", "eth0");
            ns.exec("ip", "addr", "del", "10.0.0.5/24", "dev", "eth0");
            assertTrue(Dist.await(Duration.ofSeconds(30), () -> read(env).equals("NODE_IP=10.0.1.50\n")), read(env));
            assertTrue(Dist.await(Duration.ofSeconds(10), () -> read(log).equals("NODE_IP=10.0.0.5\nNODE_IP=10.0.1.50\n")),
                    read(log));
            Thread.sleep(3000); // three more passes: no change, no hook
            assertEquals("NODE_IP=10.0.0.5\nNODE_IP=10.0.1.50\n", read(log));
        } finally {
            agent.destroy();
            if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            Netns.runResult(ns.command("ip", "addr", "add", "10.0.0.5/24", "dev", "eth0"), 10);
            Netns.runResult(ns.command("ip", "addr", "del", "10.0.1.50/24", "dev", "eth0"), 10);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
