package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.status.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pending hooks on a temp host root with real {@code /bin/sh} processes; a "restart" is a new instance. */
class ChangeHooksTest {

    @TempDir
    Path root;

    private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-12-03T10:00:00Z"));

    private ChangeHooks hooks(List<Hook> configured) {
        return new ChangeHooks("kubeconfigs", configured, new HostPaths(root), new AtomicWriter(),
                new HookRunner(new CommandRunner()), clock);
    }

    private Path pendingFile() {
        return root.resolve("var/lib/node-agent/hooks/kubeconfigs.json");
    }

    @Test
    void aFailedHookIsKeptOnDiskAndRunsAfterARestartUntilItSucceeds() throws Exception {
        Path allow = root.resolve("allow");
        Path log = root.resolve("hook.log");
        Hook hook = Hook.shell("test -e '" + allow + "' && echo \"ran for $NODE_AGENT_RECONCILER: $NODE_AGENT_CHANGED\" >> '"
                + log + "'", Duration.ofSeconds(10));
        ChangeHooks first = hooks(List.of(hook));
        first.schedule(List.of(hook), List.of("/var/lib/kubelet/kubeconfig"));
        assertTrue(Files.isRegularFile(pendingFile()), "kept before it first runs");
        List<Check> checks = first.runPending();
        assertFalse(checks.getFirst().ok());
        assertTrue(checks.getFirst().message().contains("exited 1; pending since 2026-12-03T10:00:00Z"), checks.getFirst().message());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pendingFile())));
        String kept = Files.readString(pendingFile());
        assertTrue(kept.contains("\"attempts\" : 1") && kept.contains("/var/lib/kubelet/kubeconfig"), kept);

        Files.writeString(allow, "");
        ChangeHooks restarted = hooks(List.of(hook)); // nothing scheduled: the change happened before the restart
        assertEquals(1, restarted.pendingDetails().size());
        assertEquals(1, restarted.pendingDetails().getFirst().get("attempts"));
        List<Check> again = restarted.runPending();
        assertTrue(again.getFirst().ok(), again.toString());
        assertEquals("ran for kubeconfigs: /var/lib/kubelet/kubeconfig\n", Files.readString(log));
        assertFalse(Files.exists(pendingFile()), "cleared once it succeeded");
        assertEquals(List.of(), restarted.pendingDetails());
        assertEquals(List.of(), hooks(List.of(hook)).runPending(), "and not run again by the next start");
        assertEquals(1, Files.readAllLines(log).size());
    }

    @Test
    void aHookRunsUnderShWithPipesAndQuotes() throws Exception {
        Path out = root.resolve("out");
        Hook hook = Hook.shell("printf '%s\\n' 'a b' \"c|d\" | tr a-z A-Z > '" + out + "'", Duration.ofSeconds(10));
        ChangeHooks h = hooks(List.of(hook));
        h.schedule(List.of(hook), List.of("/x"));
        assertTrue(h.runPending().getFirst().ok());
        assertEquals("A B\nC|D\n", Files.readString(out));
    }

    @Test
    void aPendingHookNoLongerConfiguredIsDropped() throws Exception {
        Hook broken = Hook.shell("exit 3", Duration.ofSeconds(10));
        ChangeHooks first = hooks(List.of(broken));
        first.schedule(List.of(broken), List.of("/x"));
        first.runPending();
        assertTrue(Files.exists(pendingFile()));
        Hook fixed = Hook.shell("true", Duration.ofSeconds(10));
        ChangeHooks restarted = hooks(List.of(fixed));
        assertEquals(List.of(), restarted.pendingDetails());
    }

    @Test
    void aTimedOutHookIsKilledAndStaysPending() throws Exception {
        Hook slow = Hook.shell("sleep 30", Duration.ofMillis(300));
        ChangeHooks h = hooks(List.of(slow));
        h.schedule(List.of(slow), List.of("/x"));
        Check c = h.runPending().getFirst();
        assertTrue(c.message().contains("timed out after 300ms (killed)"), c.message());
        assertEquals(1, h.pendingDetails().size());
    }

    @Test
    void anUnreadablePendingFileIsAWarningNotASilentLoss() throws Exception {
        Files.createDirectories(pendingFile().getParent());
        Files.writeString(pendingFile(), "{not json");
        List<Check> checks = hooks(List.of()).runPending();
        assertEquals(1, checks.size());
        assertEquals("pending hooks file", checks.getFirst().name());
        assertTrue(checks.getFirst().message().startsWith("cannot read pending hooks: " + pendingFile()), checks.getFirst().message());
    }
}
