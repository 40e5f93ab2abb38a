package dev.nodeagent.agent.reconcilers.prereqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.prereqs.NodePrereqsReconciler.Settings;
import dev.nodeagent.agent.reconcilers.prereqs.NodePrereqsReconciler.SysctlSetting;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Check logic on a fake /proc and /sys (temp dirs), a real Unix socket under a temp host root, a fake clock source. */
class NodePrereqsReconcilerTest {

    @TempDir
    Path proc;
    @TempDir
    Path sys;
    @TempDir
    Path root;
    ServerSocketChannel socket;
    Optional<Boolean> synced = Optional.of(true);
    Resolver resolver = host -> {
        if (host.equals("node1")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 1, 1}));
        }
        throw new UnknownHostException(host);
    };

    @BeforeEach
    void healthyHost() throws Exception {
        sysctl("net.ipv4.ip_forward", "1");
        sysctl("net.bridge.bridge-nf-call-iptables", "1");
        sysctl("net.ipv4.conf.all.rp_filter", "2");
        sysctl("fs.inotify.max_user_instances", "8192");
        sysctl("fs.inotify.max_user_watches", "524288");
        sysctl("vm.max_map_count", "1048576");
        Files.writeString(proc.resolve("filesystems"), "nodev\tsysfs\nnodev\toverlay\n");
        Files.writeString(proc.resolve("swaps"), "Filename\tType\tSize\tUsed\tPriority\n");
        Path sock = root.resolve("run/containerd/containerd.sock");
        Files.createDirectories(sock.getParent());
        socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        socket.bind(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach
    void closeSocket() throws Exception {
        socket.close();
    }

    void sysctl(String name, String value) throws Exception {
        Path p = proc.resolve("sys").resolve(name.replace('.', '/'));
        Files.createDirectories(p.getParent());
        Files.writeString(p, value + "\n");
    }

    Outcome pass(Settings s, String node) throws Exception {
        ClockSync clock = new ClockSync(new CommandRunner()) {
            @Override
            public Status status() {
                return new Status(synced, "test");
            }
        };
        return new NodePrereqsReconciler(s, node, proc, sys, new HostPaths(root), resolver, clock)
                .reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
    }

    static Settings settings(boolean fixIpForward, boolean swapTolerated) {
        return new Settings(new SysctlSetting(fixIpForward, Severity.FAILURE), new SysctlSetting(false, Severity.WARNING),
                swapTolerated, NodePrereqsReconciler.DEFAULT_SOCKET, Severity.FAILURE);
    }

    static Check check(Outcome o, String name) {
        return o.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no check " + name + " in " + o.checks()));
    }

    @Test
    void aReadyHostPassesEveryCheck() throws Exception {
        Outcome o = pass(settings(false, false), "node1");
        assertEquals(State.OK, o.state(), o.message());
        assertEquals("node prerequisites met", o.message());
        assertEquals(List.of("net.ipv4.ip_forward", "br_netfilter", "net.bridge.bridge-nf-call-iptables",
                "net.ipv4.conf.all.rp_filter", "fs.inotify.max_user_instances", "fs.inotify.max_user_watches",
                "vm.max_map_count", "overlay", "swap", "container runtime socket", "node name resolves",
                "clock synchronised"),
                o.checks().stream().map(Check::name).toList());
        assertEquals("/run/containerd/containerd.sock is a socket", check(o, "container runtime socket").message());
    }

    @Test
    void ipForwardOffIsAFailureThatSaysHowToFixIt() throws Exception {
        sysctl("net.ipv4.ip_forward", "0");
        Outcome o = pass(settings(false, false), "node1");
        assertEquals(State.FAILED, o.state());
        assertEquals("NetIpv4IpForwardFailed", o.reason());
        assertEquals("net.ipv4.ip_forward = 0 (expected 1); pods cannot reach other nodes;"
                + " `sysctl -w net.ipv4.ip_forward=1` and persist it, or set fix: true", o.message());
        assertEquals("0", Files.readString(proc.resolve("sys/net/ipv4/ip_forward")).strip(), "nothing written");
    }

    @Test
    void fixTrueWritesTheSysctlAndReportsIt() throws Exception {
        sysctl("net.ipv4.ip_forward", "0");
        Outcome o = pass(settings(true, false), "node1");
        assertEquals(State.OK, o.state(), o.message());
        assertTrue(o.changed());
        assertEquals("net.ipv4.ip_forward was 0; set it to 1 (fix: true)", check(o, "net.ipv4.ip_forward").message());
        assertEquals("1", Files.readString(proc.resolve("sys/net/ipv4/ip_forward")).strip());
        assertFalse(pass(settings(true, false), "node1").changed(), "the next pass finds it right");
    }

    @Test
    void warningsDoNotFailThePass() throws Exception {
        Files.writeString(proc.resolve("swaps"), "Filename\tType\tSize\tUsed\tPriority\n/dev/zram0 partition 8G 0 100\n");
        Files.delete(proc.resolve("sys/net/bridge/bridge-nf-call-iptables"));
        synced = Optional.of(false);
        Outcome o = pass(settings(false, false), "nowhere");
        assertEquals(State.OK, o.state());
        assertEquals("Warnings", o.reason());
        assertEquals(List.of("br_netfilter", "swap", "node name resolves", "clock synchronised"),
                o.checks().stream().filter(c -> !c.ok()).map(Check::name).toList());
        assertTrue(o.checks().stream().filter(c -> !c.ok()).allMatch(c -> c.severity() == Severity.WARNING));
        assertTrue(check(o, "swap").message().startsWith("swap is on (/dev/zram0)"));
        assertEquals("swap is on (/dev/zram0); tolerated (swapTolerated: true)",
                check(pass(settings(false, true), "node1"), "swap").message());
    }

    @Test
    void aMissingRuntimeSocketOrAPlainFileFails() throws Exception {
        socket.close();
        Path sock = root.resolve("run/containerd/containerd.sock");
        Files.deleteIfExists(sock);
        Outcome o = pass(settings(false, false), "node1");
        assertEquals("/run/containerd/containerd.sock does not exist; is the container runtime running?", o.message());
        Files.writeString(sock, "");
        assertEquals("/run/containerd/containerd.sock exists but is not a socket",
                pass(settings(false, false), "node1").message());
    }

    @Test
    void anUnknownClockStateIsAWarningThatSaysWhy() throws Exception {
        synced = Optional.empty();
        assertEquals("cannot tell whether the clock is synchronised: test",
                check(pass(settings(false, false), "node1"), "clock synchronised").message());
    }

    @Test
    void adjtimexAnswersOnThisKernel() throws Exception {
        ClockSync.Status s = new ClockSync(new CommandRunner()).status();
        assertEquals("adjtimex", s.source(), "the native call works here (jnr-ffi)");
        assertTrue(s.synced().isPresent());
    }
}
