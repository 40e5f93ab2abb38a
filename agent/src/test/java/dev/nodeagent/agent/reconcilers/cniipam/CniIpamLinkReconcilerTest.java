package dev.nodeagent.agent.reconcilers.cniipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniIpamLinkReconcilerTest {

    @TempDir
    Path root;
    private Path bin;
    private CniIpamLinkReconciler reconciler;
    private final ReconcileContext ctx = new ReconcileContext(Instant.EPOCH, false, 0);

    @BeforeEach
    void setUp() throws Exception {
        bin = root.resolve("opt/cni/bin");
        Files.createDirectories(bin);
        reconciler = new CniIpamLinkReconciler(new CniIpamLinkReconciler.Settings("/opt/cni/bin", "calico", "calico-ipam"),
                new HostPaths(root), new AtomicWriter());
    }

    private Path ipam() {
        return bin.resolve("calico-ipam");
    }

    @Test
    void createsTheLinkNextToARegularCalicoBinary() throws Exception {
        Files.writeString(bin.resolve("calico"), "#!/bin/sh\n");
        Outcome o = reconciler.reconcile(ctx);
        assertEquals(State.OK, o.state());
        assertTrue(o.changed());
        assertEquals(Path.of("calico"), Files.readSymbolicLink(ipam()));
        assertEquals("repaired /opt/cni/bin/calico-ipam -> calico (was missing)", o.message());
    }

    @Test
    void followsCalicoToTheSameTargetWhenCalicoIsASymlink() throws Exception {
        Path store = Files.createDirectories(root.resolve("nix/store/abc-calico/bin"));
        Files.writeString(store.resolve("calico"), "bin");
        Files.createSymbolicLink(bin.resolve("calico"), store.resolve("calico"));
        reconciler.reconcile(ctx);
        assertEquals(store.resolve("calico"), Files.readSymbolicLink(ipam()));
    }

    @Test
    void anUnchangedLinkIsNotTouched() throws Exception {
        Files.writeString(bin.resolve("calico"), "x");
        reconciler.reconcile(ctx);
        Object inode = Files.readAttributes(ipam(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        FileTime mtime = Files.getLastModifiedTime(ipam(), LinkOption.NOFOLLOW_LINKS);
        Thread.sleep(20);
        Outcome again = reconciler.reconcile(ctx);
        assertFalse(again.changed());
        assertEquals("UpToDate", again.reason());
        assertEquals(inode, Files.readAttributes(ipam(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        assertEquals(mtime, Files.getLastModifiedTime(ipam(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void repairsAWrongLinkADanglingLinkAndAStrayFile() throws Exception {
        Files.writeString(bin.resolve("calico"), "x");
        Files.createSymbolicLink(ipam(), Path.of("host-local"));
        Outcome o = reconciler.reconcile(ctx);
        assertTrue(o.changed());
        assertEquals("repaired /opt/cni/bin/calico-ipam -> calico (was a link to host-local, dangling)", o.message());
        assertEquals(Path.of("calico"), Files.readSymbolicLink(ipam()));

        Files.delete(ipam());
        Files.writeString(ipam(), "a stray copy");
        o = reconciler.reconcile(ctx);
        assertTrue(o.changed());
        assertTrue(o.message().endsWith("(was a regular file)"), o.message());
        assertTrue(Files.isSymbolicLink(ipam()));
    }

    @Test
    void waitsWhileCalicoIsAbsentOrDangling() throws Exception {
        Outcome o = reconciler.reconcile(ctx);
        assertEquals(State.WAITING, o.state());
        assertEquals("SourceMissing", o.reason());
        assertEquals("/opt/cni/bin/calico does not exist", o.message());
        assertFalse(Files.exists(ipam(), LinkOption.NOFOLLOW_LINKS), "nothing is created while waiting");

        Files.createSymbolicLink(bin.resolve("calico"), root.resolve("gone"));
        assertEquals("/opt/cni/bin/calico is a dangling symlink", reconciler.reconcile(ctx).message());
    }

    @Test
    void neverTouchesAnythingElseInTheDirectory() throws Exception {
        Files.writeString(bin.resolve("calico"), "x");
        Files.writeString(bin.resolve("portmap"), "p");
        Files.createSymbolicLink(bin.resolve("flannel"), Path.of("nowhere"));
        reconciler.reconcile(ctx);
        try (var files = Files.list(bin)) {
            assertEquals(4, files.count(), "no temp files left behind either");
        }
        assertEquals("p", Files.readString(bin.resolve("portmap")));
        assertEquals(Path.of("nowhere"), Files.readSymbolicLink(bin.resolve("flannel")));
    }
}
