package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * age's STREAM payload: 64 KiB plaintext chunks, ChaCha20-Poly1305, nonce = 11-byte big-endian counter || last
 * flag. Decryption writes each chunk only after its tag verified, but the caller must still treat the output as
 * untrusted until {@link #decrypt} returns normally (truncation and trailing data are detected only at the end).
 */
final class PayloadStream {

    static final int CHUNK = 64 * 1024;
    static final int TAG = 16;
    static final int SEALED = CHUNK + TAG;
    static final String LABEL = "payload";

    private PayloadStream() {
    }

    static byte[] payloadKey(byte[] fileKey, byte[] nonce) {
        return Crypto.hkdf(fileKey, nonce, LABEL, 32);
    }

    /** Decrypts the payload (after the 16-byte nonce) to {@code out}; enforces the final chunk and EOF. */
    static void decrypt(byte[] payloadKey, InputStream in, OutputStream out) throws AgeException, IOException {
        Cipher cipher = cipher();
        SecretKeySpec key = new SecretKeySpec(payloadKey, "ChaCha20");
        byte[] sealed = new byte[SEALED];
        byte[] plain = new byte[SEALED];
        byte[] nonce = new byte[12];
        long counter = 0;
        while (true) {
            int n = in.readNBytes(sealed, 0, SEALED);
            if (n == 0) {
                throw corrupt(counter == 0 ? "the payload has no chunks" : "the payload is truncated (no final chunk)");
            }
            if (n < TAG) {
                throw corrupt("chunk " + counter + " is shorter than its authentication tag");
            }
            boolean last = n < SEALED;
            int len = open(cipher, key, nonce, counter, last, sealed, n, plain);
            if (len < 0 && !last) {
                // A full-size chunk may be the final one (plaintext an exact multiple of 64 KiB).
                last = true;
                len = open(cipher, key, nonce, counter, true, sealed, n, plain);
            }
            if (len < 0) {
                throw corrupt("chunk " + counter + " failed authentication (corrupted or truncated file)");
            }
            if (last) {
                if (len == 0 && counter > 0) {
                    throw corrupt("the final chunk is empty after data");
                }
                if (in.read() >= 0) {
                    throw corrupt("trailing data after the final chunk");
                }
                out.write(plain, 0, len);
                return;
            }
            out.write(plain, 0, len);
            counter++;
        }
    }

    /** Encrypts {@code in} to {@code out} in 64 KiB chunks; the last non-empty chunk (or one empty chunk) is final. */
    static void encrypt(byte[] payloadKey, InputStream in, OutputStream out) throws IOException {
        SecretKeySpec key = new SecretKeySpec(payloadKey, "ChaCha20");
        byte[] current = new byte[CHUNK];
        byte[] next = new byte[CHUNK];
        byte[] sealed = new byte[SEALED];
        byte[] nonce = new byte[12];
        int n = in.readNBytes(current, 0, CHUNK);
        long counter = 0;
        while (true) {
            int m = n == CHUNK ? in.readNBytes(next, 0, CHUNK) : 0;
            boolean last = m == 0;
            setNonce(nonce, counter, last);
            try {
                // A fresh Cipher per chunk: the JDK refuses to re-init an encrypting cipher (key, nonce reuse guard).
                Cipher c = cipher();
                c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
                int len = c.doFinal(current, 0, n, sealed, 0);
                out.write(sealed, 0, len);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
            }
            if (last) {
                return;
            }
            byte[] t = current;
            current = next;
            next = t;
            n = m;
            counter++;
        }
    }

    private static int open(Cipher cipher, SecretKeySpec key, byte[] nonce, long counter, boolean last,
                            byte[] sealed, int n, byte[] plain) {
        setNonce(nonce, counter, last);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            return cipher.doFinal(sealed, 0, n, plain, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
        }
    }

    private static void setNonce(byte[] nonce, long counter, boolean last) {
        for (int i = 0; i < 11; i++) {
            nonce[10 - i] = i < 8 ? (byte) (counter >>> (8 * i)) : 0;
        }
        nonce[11] = (byte) (last ? 1 : 0);
    }

    private static Cipher cipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
        }
    }

    private static AgeException corrupt(String message) {
        return new AgeException(Kind.PAYLOAD_CORRUPT, "age payload corrupt: " + message);
    }
}
