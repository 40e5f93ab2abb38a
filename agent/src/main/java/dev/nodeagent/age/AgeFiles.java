package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        writeAtomically(output, out -> Age.decryptBinary(binary(in), out, identities));
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

    /** Encrypts {@code in} to a new or replaced file {@code output} (mode 0600), atomically. */
    public static void encrypt(InputStream in, Path output, List<AgeRecipient> recipients, boolean armor)
            throws AgeException {
        writeAtomically(output, out -> encrypt(in, out, recipients, armor));
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

    private interface Body {
        void write(OutputStream out) throws AgeException, IOException;
    }

    private static void writeAtomically(Path output, Body body) throws AgeException {
        Path target = output.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER)) {
                body.write(out);
            }
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
