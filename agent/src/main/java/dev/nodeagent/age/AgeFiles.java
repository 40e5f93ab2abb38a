package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Streaming age for large files, with the same guarantee as {@link Age#decrypt}: no plaintext is released unless
 * the whole file authenticated. To a path: a mode-0600 temp file in the target's directory, renamed over the
 * target only after success (an existing target is untouched on failure, a new one never appears). To a stream:
 * staged (see {@link StagedOutput}) and released after success. Armored input is detected and decoded in memory
 * (armor is for small files such as keys).
 */
public final class AgeFiles {

    /** Armored input is decoded in memory; refuse anything larger than this. */
    static final int MAX_ARMORED = 64 * 1024 * 1024;
    private static final int BUFFER = 256 * 1024;

    private AgeFiles() {
    }

    /** Decrypts {@code in} to a new or replaced file {@code output} (mode 0600), atomically. */
    public static void decrypt(InputStream in, Path output, List<AgeIdentity> identities) throws AgeException {
        writeAtomically(output, streamed(out -> Age.decryptBinary(binary(in), out, identities)));
    }

    /** Decrypts {@code in} to {@code out}; nothing reaches {@code out} before the whole file authenticated. */
    public static void decrypt(InputStream in, OutputStream out, List<AgeIdentity> identities) throws AgeException {
        try (StagedOutput staged = new StagedOutput()) {
            Age.decryptBinary(binary(in), staged, identities);
            staged.releaseTo(out);
        } catch (IOException e) {
            throw io("cannot decrypt", e);
        }
    }

    /**
     * Decrypts the regular file open as {@code input} to a new or replaced file {@code output} (mode 0600),
     * atomically; chunks are decrypted in parallel and written with positional writes.
     */
    public static void decrypt(FileChannel input, Path output, List<AgeIdentity> identities) throws AgeException {
        decryptAtomically(output, identities, input);
    }

    /**
     * Decrypts the regular file open as {@code input} to {@code out}; nothing reaches {@code out} before the whole
     * file authenticated. Up to {@link StagedOutput#MEMORY_LIMIT} the plaintext is held in memory, beyond in an
     * unlinked 0600 temp file that is then copied to {@code out} (by the kernel when {@code out} is a file stream).
     */
    public static void decrypt(FileChannel input, OutputStream out, List<AgeIdentity> identities) throws AgeException {
        try {
            Opened o = open(input, identities);
            if (o == null) {
                decrypt(Channels.newInputStream(input.position(0)), out, identities);
                return;
            }
            try {
                long plain = PayloadStream.plainSize(o.source().size());
                if (plain <= StagedOutput.MEMORY_LIMIT) {
                    byte[] buf = PayloadStream.decryptToArray(o.payloadKey(), o.source(), Age.THREADS);
                    out.write(buf);
                    out.flush();
                    java.util.Arrays.fill(buf, (byte) 0);
                    return;
                }
                try (FileChannel spill = StagedOutput.spillFile()) {
                    long n = PayloadStream.decrypt(o.payloadKey(), o.source(), positional(spill), Age.THREADS);
                    if (out instanceof FileOutputStream fos) {
                        FileChannel target = fos.getChannel();
                        for (long pos = 0; pos < n; ) {
                            pos += spill.transferTo(pos, n - pos, target);
                        }
                    } else {
                        spill.position(0);
                        Channels.newInputStream(spill).transferTo(out);
                    }
                    out.flush();
                }
            } finally {
                o.wipe();
            }
        } catch (IOException e) {
            throw io("cannot decrypt", e);
        }
    }

    /** A binary age file's payload key and payload; {@code null} for armored input (decoded in memory instead). */
    private record Opened(byte[] payloadKey, PayloadStream.Source source) {
        void wipe() {
            java.util.Arrays.fill(payloadKey, (byte) 0);
        }
    }

    private static Opened open(FileChannel input, List<AgeIdentity> identities) throws AgeException, IOException {
        ByteBuffer head = ByteBuffer.allocate(2048);
        while (head.hasRemaining() && input.read(head, head.position()) > 0) {
            // positional reads: the channel's position stays 0
        }
        if (Armor.isArmored(java.util.Arrays.copyOf(head.array(), head.position()))) {
            return null;
        }
        input.position(0);
        CountingInputStream counted = new CountingInputStream(
                new BufferedInputStream(Channels.newInputStream(input), 64 * 1024));
        byte[] payloadKey = Unlock.payloadKey(counted, identities);
        long start = counted.count;
        long size = input.size() - start;
        return new Opened(payloadKey, new PayloadStream.Source() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void read(long offset, byte[] dst, int len) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
                while (b.hasRemaining()) {
                    if (input.read(b, start + offset + b.position()) < 0) {
                        throw new IOException("the file shrank while it was read");
                    }
                }
            }
        });
    }

    private static PayloadStream.Sink positional(FileChannel ch) {
        return (offset, b, len) -> {
            ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        };
    }

    /** Counts the bytes handed to the reader (not what the buffer below read ahead): the header's exact length. */
    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Encrypts {@code in} to a new or replaced file {@code output} (mode 0600), atomically. */
    public static void encrypt(InputStream in, Path output, List<AgeRecipient> recipients, boolean armor)
            throws AgeException {
        writeAtomically(output, streamed(out -> encrypt(in, out, recipients, armor)));
    }

    /** Encrypts {@code in} to {@code out} (binary streams; armored output is built in memory). */
    public static void encrypt(InputStream in, OutputStream out, List<AgeRecipient> recipients, boolean armor)
            throws AgeException {
        try {
            if (armor) {
                out.write(Age.encrypt(in.readAllBytes(), recipients, true));
            } else {
                BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
                Age.encryptBinary(new BufferedInputStream(in, BUFFER), buffered, recipients);
                buffered.flush();
            }
        } catch (IOException e) {
            throw io("cannot encrypt", e);
        }
    }

    /** The binary age stream behind {@code in}: armor, if present, decoded in memory. */
    private static InputStream binary(InputStream in) throws AgeException, IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(BUFFER);
        byte[] head = buffered.readNBytes(2048);
        buffered.reset();
        if (!Armor.isArmored(head)) {
            return buffered;
        }
        byte[] all = buffered.readNBytes(MAX_ARMORED + 1);
        if (all.length > MAX_ARMORED) {
            throw new AgeException(Kind.ARMOR_INVALID, "armored age file larger than 64 MiB; use binary age files");
        }
        return new ByteArrayInputStream(Armor.decode(all));
    }

    /** Writes the (already created, mode 0600) temp file that {@link #writeAtomically} renames into place. */
    private interface TempFile {
        void write(Path tmp) throws AgeException, IOException;
    }

    /** A {@link TempFile} body for the streaming encoders and decoders: buffered, the stream closed after. */
    private interface Body {
        void write(OutputStream out) throws AgeException, IOException;
    }

    private static TempFile streamed(Body body) {
        return tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER)) {
                body.write(out);
            }
        };
    }

    /** Decrypts the channel into the temp file with positional writes (armored input: decoded in memory). */
    private static void decryptAtomically(Path output, List<AgeIdentity> identities, FileChannel input)
            throws AgeException {
        writeAtomically(output, tmp -> {
            Opened o = open(input, identities);
            if (o == null) {
                streamed(out -> Age.decryptBinary(binary(Channels.newInputStream(input.position(0))), out, identities))
                        .write(tmp);
                return;
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                PayloadStream.decrypt(o.payloadKey(), o.source(), positional(out), Age.THREADS);
            } finally {
                o.wipe();
            }
        });
    }

    private static void writeAtomically(Path output, TempFile body) throws AgeException {
        Path target = output.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            body.write(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw io("cannot write " + output, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; the name is a dot-file with a .tmp suffix
                }
            }
        }
    }

    private static AgeException io(String what, IOException e) {
        return new AgeException(Kind.IO, what + ": " + Identities.reason(e), e);
    }
}
