package dev.nodeagent.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way the agent writes host files. A reader sees the old file or the new one, never a torn one: the new
 * content goes to a temp file in the same directory, gets its mode and owner <em>before</em> it becomes visible,
 * is fsynced, renamed over the target, and the directory is fsynced. Content and mode already right → no write
 * at all (mtime and inode stay), so a pass over an unchanged host is read-only.
 */
public final class AtomicWriter {

    /** Writes {@code content} to {@code target} unless it is already there; returns whether anything changed. */
    public boolean write(Path target, byte[] content, FileMode mode) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            boolean sameBytes = Files.size(target) == content.length && Arrays.equals(Files.readAllBytes(target), content);
            if (sameBytes && hasMode(target, mode)) {
                return false;
            }
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // Restrict before writing: secret content must never sit in a file more open than its final mode.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            applyMode(tmp, mode);
            moveAtomically(tmp, target);
            fsyncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Makes {@code link} a symlink to {@code target} (the link text, not resolved), replacing whatever is there
     * (a wrong or dangling link, a stray file) in one rename. Returns whether anything changed.
     */
    public boolean symlink(Path link, String target) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().equals(target)) {
            return false;
        }
        if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(link + " is a directory; refusing to replace it with a symlink");
        }
        Path dir = link.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + link.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createSymbolicLink(tmp, Path.of(target));
            moveAtomically(tmp, link);
            fsyncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when the file has exactly this mode (and owner/group, where given). */
    public static boolean hasMode(Path file, FileMode mode) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.permissions().equals(mode.permissions())) {
            return false;
        }
        if (mode.owner() != null && !attrs.owner().getName().equals(mode.owner())) {
            return false;
        }
        return mode.group() == null || attrs.group().getName().equals(mode.group());
    }

    /** Sets permissions, then owner and group where given (names looked up on this host). */
    public static void applyMode(Path file, FileMode mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        // The JDK's UserPrincipalNotFoundException has a null message ("WriteFailed: … null"): name the user or
        // group and the file instead.
        if (mode.owner() != null) {
            try {
                view.setOwner(users.lookupPrincipalByName(mode.owner()));
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("owner: no user '" + mode.owner() + "' on this host", e);
            }
        }
        if (mode.group() != null) {
            GroupPrincipal g;
            try {
                g = users.lookupPrincipalByGroupName(mode.group());
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("group: no group '" + mode.group() + "' on this host", e);
            }
            view.setGroup(g);
        }
        view.setPermissions(mode.permissions());
    }

    /** Makes a rename durable: fsync of the directory that holds the entry. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically into " + to.getParent() + " (different file system?)", e);
        }
    }
}
