package dev.nodeagent.agent.reconcilers.nodeip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.Hook;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.nodeip.NodeIpReconciler.Settings;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env file and the hook against a fake iproute2; real interfaces are NodeIpIT's. */
class NodeIpReconcilerTest {

    @TempDir
    Path root;
    String addrs = AddressDetectionTest.ADDRS;
    String routeGet = "[{\"dst\":\"100.64.0.1\",\"dev\":\"tailscale0\",\"prefsrc\":\"100.64.0.2\",\"flags\":[]}]";
    List<List<String>> hooksRun = new ArrayList<>();
    int hookExit;

    CommandRunner fake = new CommandRunner() {
        @Override
        public Result run(List<String> command, java.util.Map<String, String> env, Duration timeout) {
            return run(command, timeout); // the hook runner's call, with its environment
        }

        @Override
        public Result run(List<String> command, Duration timeout) {
            if (command.equals(List.of("ip", "-j", "addr", "show"))) {
                return new Result(0, addrs, "", false);
            }
            if (command.size() > 4 && command.subList(0, 4).equals(List.of("ip", "-j", "route", "get"))) {
                return new Result(0, routeGet, "", false);
            }
            hooksRun.add(command);
            return new Result(hookExit, "", "", false);
        }
    };

    NodeIpReconciler reconciler(String method) {
        Settings s = new Settings(method, AddressDetection.parse(method), false, "/run/kubelet-env", "NODE_IP",
                List.of(Hook.shell("systemctl try-restart kubelet.service", Duration.ofSeconds(5))));
        return new NodeIpReconciler(s, fake, new HostPaths(root), new AtomicWriter(), new HookRunner(fake),
                java.time.InstantSource.fixed(Instant.EPOCH));
    }

    Outcome pass(NodeIpReconciler r) throws Exception {
        return r.reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
    }

    String env() throws Exception {
        return Files.readString(root.resolve("run/kubelet-env"));
    }

    @Test
    void writesTheAddressOnceAndRunsTheHookOnlyOnChange() throws Exception {
        NodeIpReconciler r = reconciler("skip-interface=wlan.*");
        Outcome first = pass(r);
        assertEquals(State.OK, first.state(), first.message());
        assertTrue(first.changed());
        assertEquals("NODE_IP=10.0.0.5\n", env());
        assertEquals(List.of(List.of("/bin/sh", "-c", "systemctl try-restart kubelet.service")), hooksRun);
        Outcome second = pass(r);
        assertFalse(second.changed());
        assertEquals(1, hooksRun.size(), "no restart without a change");

        addrs = addrs.replace("10.0.0.5", "10.0.0.50"); // DHCP gave eth0 another address
        Outcome third = pass(r);
        assertTrue(third.changed());
        assertEquals("NODE_IP=10.0.0.50 (skip-interface=wlan.*) in /run/kubelet-env, was 10.0.0.5", third.message());
        assertEquals("NODE_IP=10.0.0.50\n", env());
        assertEquals(2, hooksRun.size());
    }

    @Test
    void canReachUsesTheKernelsSourceAddress() throws Exception {
        pass(reconciler("can-reach=100.64.0.1"));
        assertEquals("NODE_IP=100.64.0.2\n", env());
    }

    @Test
    void aFailedHookFailsThePassAndIsRetried() throws Exception {
        hookExit = 1;
        NodeIpReconciler r = reconciler("first-found");
        Outcome o = pass(r);
        assertEquals(State.FAILED, o.state());
        assertEquals("HookFailed", o.reason());
        hookExit = 0;
        assertEquals(State.OK, pass(r).state());
        assertEquals(2, hooksRun.size(), "retried on the next pass although the file did not change again");
    }

    @Test
    void noMatchingAddressIsWaitingAndLeavesTheFile() throws Exception {
        Outcome o = pass(reconciler("cidr=203.0.113.0/24"));
        assertEquals(State.WAITING, o.state());
        assertFalse(Files.exists(root.resolve("run/kubelet-env")));
    }
}
