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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * A calico-ipam that already runs calico's bytes is kept (a package that ships it as a real copy); anything
     * else is replaced by the link. {@code kind}: copy (a regular file), link (a symlink to a file elsewhere).
     */
    @ParameterizedTest(name = "{0} {1} exec={2} -> kept={3}")
    @CsvSource({
        "copy, same,      true,  true",
        "link, same,      true,  true",
        "copy, different, true,  false", // same size, other bytes
        "copy, longer,    true,  false",
        "link, different, true,  false",
        "copy, same,      false, false", // not executable: the kubelet could not run it
        "dangling, none,  true,  false",
    })
    void keepsACalicoIpamIdenticalToCalicoAndRepairsAnythingElse(String kind, String content, boolean executable,
            boolean kept) throws Exception {
        Path calico = bin.resolve("calico");
        Files.writeString(calico, "#!/bin/sh\necho calico\n");
        calico.toFile().setExecutable(true);
        String bytes = switch (content) {
            case "same" -> Files.readString(calico);
            case "different" -> "#!/bin/sh\necho CALICO\n";
            case "longer" -> Files.readString(calico) + "#";
            default -> null;
        };
        Path file = kind.equals("copy") ? ipam() : root.resolve("usr/lib/cni/calico-ipam");
        if (bytes != null) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, bytes);
            file.toFile().setExecutable(executable, false);
        }
        if (!kind.equals("copy")) {
            Files.createSymbolicLink(ipam(), file);
        }
        Object inode = Files.readAttributes(ipam(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();

        for (int pass = 1; pass <= 2; pass++) { // the second pass answers from the remembered comparison
            Outcome o = reconciler.reconcile(ctx);
            assertEquals(State.OK, o.state(), o.message());
            if (kept) {
                assertFalse(o.changed(), o.message());
                assertEquals("UpToDate", o.reason());
                assertTrue(o.message().endsWith("identical to calico)"), o.message());
                assertEquals("/opt/cni/bin/calico", o.details().get("identicalTo"));
                assertEquals(inode, Files.readAttributes(ipam(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
            } else {
                assertEquals(pass == 1, o.changed(), o.message());
                assertEquals(Path.of("calico"), Files.readSymbolicLink(ipam()));
            }
        }
    }

    @Test
    void aKeptCopyThatIsRewrittenIsComparedAgain() throws Exception {
        Path calico = bin.resolve("calico");
        Files.writeString(calico, "abc");
        calico.toFile().setExecutable(true);
        Files.writeString(ipam(), "abc");
        ipam().toFile().setExecutable(true);
        assertFalse(reconciler.reconcile(ctx).changed());
        Files.writeString(ipam(), "abd"); // same size, new bytes, and mtime may not move within its granularity
        Files.setLastModifiedTime(ipam(), FileTime.fromMillis(0));
        Outcome o = reconciler.reconcile(ctx);
        assertTrue(o.changed(), o.message());
        assertEquals("repaired /opt/cni/bin/calico-ipam -> calico (was a regular file)", o.message());
    }
}
