package dev.nodeagent.agent.reconcilers.cniipam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Whether two paths (links followed) are executable regular files with the same bytes: sizes first, then
 * content. {@code calico} is tens of MB and the reconciler runs every 10 s, so a pair found identical is
 * remembered by both files' inode, size and mtime and not read again until one of those changes.
 */
final class IdenticalFiles {

    /** What a file looked like when last compared; a replaced or rewritten file differs in one of these. */
    private record Stamp(Object key, long size, FileTime modified) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime());
        }
    }

    private Stamp lastCopy;
    private Stamp lastOriginal;

    /** True when {@code copy} runs the same program as {@code original}; false when either is not a file. */
    boolean test(Path copy, Path original) throws IOException {
        if (!Files.isRegularFile(copy) || !Files.isRegularFile(original) || !Files.isExecutable(copy)) {
            return false;
        }
        BasicFileAttributes c = Files.readAttributes(copy, BasicFileAttributes.class);
        BasicFileAttributes o = Files.readAttributes(original, BasicFileAttributes.class);
        if (c.size() != o.size()) {
            return false;
        }
        Stamp cs = Stamp.of(c);
        Stamp os = Stamp.of(o);
        if (cs.key() != null && cs.equals(lastCopy) && os.equals(lastOriginal)) {
            return true;
        }
        boolean same = Files.mismatch(copy, original) == -1;
        lastCopy = same ? cs : null;
        lastOriginal = same ? os : null;
        return same;
    }
}
