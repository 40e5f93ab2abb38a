package dev.nodeagent.bundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes bundle files for the operator tool: temp file in the same directory, fsync, rename — so an interrupted
 * {@code agentctl bundle create} never leaves a torn cert or key in the repository. Unchanged content is not
 * rewritten (git stays quiet).
 */
final class BundleFiles {

    private BundleFiles() {
    }

    static void write(Path file, byte[] content) throws BundleException {
        try {
            Files.createDirectories(file.getParent());
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
                return;
            }
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                // encrypted keys and certs are meant for a git repository: world-readable like any source file
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(content));
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new BundleException("WriteFailed", file.toString(), "cannot write " + file + ": " + e, e);
        }
    }
}
