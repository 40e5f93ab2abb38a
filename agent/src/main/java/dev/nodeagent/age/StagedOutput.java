package dev.nodeagent.age;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Holds decrypted plaintext until the whole age file authenticated, so a stream consumer (stdout, a pipe) never
 * sees plaintext of a file that later turns out truncated or tampered. Up to {@link #MEMORY_LIMIT} bytes stay on
 * the heap; beyond that they spill to a mode-0600 temp file in {@code java.io.tmpdir} that is unlinked right after
 * it is opened, so it cannot outlive the process (the kernel frees it on close or exit).
 */
final class StagedOutput extends OutputStream {

    static final int MEMORY_LIMIT = 16 * 1024 * 1024;

    private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private FileChannel spill;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (spill == null && memory.size() + len <= MEMORY_LIMIT) {
            memory.write(b, off, len);
            return;
        }
        if (spill == null) {
            spill = spillFile();
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            spill.write(buf);
        }
    }

    /** A new mode-0600 temp file in {@code java.io.tmpdir}, already unlinked, open for reading and writing. */
    static FileChannel spillFile() throws IOException {
        Path tmp = Files.createTempFile("agentctl-", ".plain",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            return FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Releases the staged plaintext to {@code out}; call only after authentication succeeded. */
    void releaseTo(OutputStream out) throws IOException {
        memory.writeTo(out);
        if (spill != null) {
            // transferTo moves what the target takes in one go: to a pipe that is one pipe buffer (64 KiB), so it
            // must be called until everything went (a single call once truncated stdin -> pipe at 16 MiB + 64 KiB).
            WritableByteChannel target = Channels.newChannel(out);
            long size = spill.size();
            for (long pos = 0; pos < size; ) {
                long n = spill.transferTo(pos, size - pos, target);
                if (n <= 0 && spill.size() < size) {
                    throw new IOException("the staged plaintext shrank while it was released");
                }
                pos += n;
            }
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        memory.reset();
        if (spill != null) {
            spill.close();
        }
    }
}
