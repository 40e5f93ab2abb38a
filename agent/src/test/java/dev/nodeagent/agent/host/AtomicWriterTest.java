package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;
    private final AtomicWriter writer = new AtomicWriter();

    @Test
    void anUnknownOwnerOrGroupIsNamedInTheError() {
        Path f = dir.resolve("kubelet.key");
        IOException owner = assertThrows(IOException.class, () -> writer.write(f, new byte[] {1},
                new FileMode(0600, "no-such-user-xyz", null)));
        assertTrue(String.valueOf(owner.getMessage()).contains("no user 'no-such-user-xyz'"), owner.getMessage());
        IOException group = assertThrows(IOException.class, () -> writer.write(f, new byte[] {1},
                new FileMode(0600, null, "no-such-group-xyz")));
        assertTrue(String.valueOf(group.getMessage()).contains("no group 'no-such-group-xyz'"), group.getMessage());
    }

    @Test
    void writesNewContentWithTheRequestedModeAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("sub/kubeconfig");
        assertTrue(writer.write(f, "a".getBytes(StandardCharsets.UTF_8), FileMode.of(0600)));
        assertEquals("a", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void identicalContentAndModeMeansNoWriteAtAll() throws Exception {
        Path f = dir.resolve("x");
        writer.write(f, new byte[] {1, 2, 3}, FileMode.of(0644));
        Object inode = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        var mtime = Files.getLastModifiedTime(f);
        Thread.sleep(20);
        assertFalse(writer.write(f, new byte[] {1, 2, 3}, FileMode.of(0644)));
        assertEquals(inode, Files.readAttributes(f, BasicFileAttributes.class).fileKey());
        assertEquals(mtime, Files.getLastModifiedTime(f));
    }

    @Test
    void aModeChangeAloneIsAWriteAndNewContentGetsANewInode() throws Exception {
        Path f = dir.resolve("x");
        writer.write(f, new byte[] {1}, FileMode.of(0644));
        assertTrue(writer.write(f, new byte[] {1}, FileMode.of(0400)));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Object inode = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        assertTrue(writer.write(f, new byte[] {2}, FileMode.of(0400)));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(f));
        assertFalse(inode.equals(Files.readAttributes(f, BasicFileAttributes.class).fileKey()),
                "replaced by rename, never rewritten in place");
    }

    @Test
    void replacesASymlinkTargetRatherThanWritingThroughIt() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "keep me");
        Path f = dir.resolve("config");
        Files.createSymbolicLink(f, elsewhere);
        writer.write(f, "new".getBytes(StandardCharsets.UTF_8), FileMode.of(0644));
        assertEquals("keep me", Files.readString(elsewhere));
        assertFalse(Files.isSymbolicLink(f));
    }

    @Test
    void symlinkReplacesWhateverIsThereButRefusesADirectory() throws Exception {
        Path link = dir.resolve("l");
        assertTrue(writer.symlink(link, "a"));
        assertFalse(writer.symlink(link, "a"));
        assertTrue(writer.symlink(link, "b"));
        assertEquals(Path.of("b"), Files.readSymbolicLink(link));
        Files.delete(link);
        Files.writeString(link, "file");
        assertTrue(writer.symlink(link, "c"));
        assertTrue(Files.isSymbolicLink(link));
        Path d = Files.createDirectory(dir.resolve("d"));
        assertThrows(IOException.class, () -> writer.symlink(d, "x"));
        assertTrue(Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void fileModeReadsAndPrintsOctal() {
        assertEquals("rwxr-x---", PosixFilePermissions.toString(FileMode.of(0750).permissions()));
        assertEquals("0640 root:kube", new FileMode(0640, "root", "kube").toString());
    }
}
