package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * age-encryption.org/v1 for byte arrays: decrypt (armor auto-detected) and encrypt to any mix of ssh-ed25519,
 * ssh-rsa and X25519 recipients. {@link #decrypt} returns plaintext only when the whole file authenticated
 * (header MAC, every chunk, the final chunk, EOF); otherwise it throws and nothing is released. For large files
 * see {@link AgeFiles}. Errors are {@link AgeException}s worded for operators, never carrying key bytes.
 */
public final class Age {

    private Age() {
    }

    public static byte[] decrypt(byte[] file, List<AgeIdentity> identities) throws AgeException {
        byte[] binary = Armor.isArmored(file) ? Armor.decode(file) : file;
        ByteArrayInputStream in = new ByteArrayInputStream(binary);
        try {
            byte[] payloadKey = Unlock.payloadKey(in, identities);
            try {
                int start = binary.length - in.available();
                long sealed = binary.length - start;
                return PayloadStream.decryptToArray(payloadKey, new PayloadStream.Source() {
                    @Override
                    public long size() {
                        return sealed;
                    }

                    @Override
                    public void read(long offset, byte[] dst, int len) {
                        System.arraycopy(binary, start + (int) offset, dst, 0, len);
                    }
                }, THREADS);
            } finally {
                Arrays.fill(payloadKey, (byte) 0);
            }
        } catch (IOException e) {
            throw new AgeException(Kind.IO, "cannot read age data: " + e.getMessage(), e);
        }
    }

    /** Threads for decrypting a large payload of known length: the cores, at most 4 (I/O bound beyond). */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    public static byte[] encrypt(byte[] plaintext, List<AgeRecipient> recipients, boolean armor)
            throws AgeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + plaintext.length / 4000 + 1024);
        try {
            encryptBinary(new ByteArrayInputStream(plaintext), out, recipients);
        } catch (IOException e) {
            throw new AgeException(Kind.IO, "cannot write age data: " + e.getMessage(), e);
        }
        return armor ? Armor.encode(out.toByteArray()) : out.toByteArray();
    }

    /** The recipient stanzas (type and arguments, e.g. SSH tags) of an age file, armored or not. */
    public static List<Stanza> stanzas(byte[] file) throws AgeException {
        byte[] binary = Armor.isArmored(file) ? Armor.decode(file) : file;
        try {
            List<Stanza> result = new ArrayList<>();
            for (WireStanza s : HeaderReader.read(new ByteArrayInputStream(binary)).stanzas()) {
                result.add(s.toStanza());
            }
            return List.copyOf(result);
        } catch (IOException e) {
            throw new AgeException(Kind.IO, "cannot read age data: " + e.getMessage(), e);
        }
    }

    /**
     * Streams a binary (not armored) age file from {@code in} to {@code out}. Each chunk is written after its tag
     * verified, but a later failure (truncation, trailing data) is only known at the end: {@code out} must be a
     * staging area that the caller discards when this throws.
     */
    static void decryptBinary(InputStream in, OutputStream out, List<AgeIdentity> identities)
            throws AgeException, IOException {
        byte[] payloadKey = Unlock.payloadKey(in, identities);
        try {
            PayloadStream.decrypt(payloadKey, in, out);
        } finally {
            Arrays.fill(payloadKey, (byte) 0);
        }
    }

    /** Streams {@code in} to a binary age file on {@code out} with a fresh file key and nonce. */
    static void encryptBinary(InputStream in, OutputStream out, List<AgeRecipient> recipients)
            throws AgeException, IOException {
        if (recipients.isEmpty()) {
            throw new AgeException(Kind.RECIPIENT_INVALID, "no recipients given");
        }
        byte[] fileKey = Crypto.random(16);
        try {
            List<WireStanza> stanzas = new ArrayList<>();
            for (AgeRecipient r : recipients) {
                stanzas.add(((Wrapper) r).wrap(fileKey));
            }
            byte[] macInput = Header.encodeMacInput(stanzas);
            byte[] hmacKey = Crypto.hkdf(fileKey, new byte[0], "header", 32);
            byte[] mac = Crypto.hmacSha256(hmacKey, macInput, 0, macInput.length);
            Arrays.fill(hmacKey, (byte) 0);
            out.write(Header.encode(macInput, mac));
            byte[] nonce = Crypto.random(16);
            out.write(nonce);
            byte[] payloadKey = PayloadStream.payloadKey(fileKey, nonce);
            try {
                PayloadStream.encrypt(payloadKey, in, out);
            } finally {
                Arrays.fill(payloadKey, (byte) 0);
            }
        } finally {
            Arrays.fill(fileKey, (byte) 0);
        }
    }
}
