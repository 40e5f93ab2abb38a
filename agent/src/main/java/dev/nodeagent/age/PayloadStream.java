package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * age's STREAM payload: 64 KiB plaintext chunks, ChaCha20-Poly1305, nonce = 11-byte big-endian counter || last
 * flag. Decryption writes each chunk only after its tag verified, but the caller must still treat the output as
 * untrusted until {@link #decrypt} returns normally (truncation and trailing data are detected only at the end).
 *
 * <p>Two decryptors with the same outcomes and messages: a streaming one (unknown length, e.g. stdin) and one for a
 * payload of known length ({@link Source}: a file or a byte array) that decrypts the chunks in parallel. Chunks are
 * independent (each has its own nonce), so with the length known up front every chunk's role (middle or final) is
 * known and the threads take chunks in small batches; the error reported is the one of the lowest chunk, which is
 * what the streaming decryptor reports.
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

    /** The payload (everything after the 16-byte nonce) when its length is known: random access, thread-safe. */
    interface Source {
        long size();

        /** Reads exactly {@code len} bytes at payload offset {@code offset} into {@code dst[0..len)}. */
        void read(long offset, byte[] dst, int len) throws IOException;
    }

    /** Receives each authenticated chunk's plaintext at its offset; called concurrently for different offsets. */
    interface Sink {
        void write(long offset, byte[] b, int len) throws IOException;
    }

    /** {@link #decrypt(byte[], Source, Sink, int)} into a new array holding exactly the plaintext. */
    static byte[] decryptToArray(byte[] payloadKey, Source in, int threads) throws AgeException, IOException {
        byte[] plain = new byte[(int) plainSize(in.size())];
        long n = decrypt(payloadKey, in, (offset, b, len) -> System.arraycopy(b, 0, plain, (int) offset, len), threads);
        return n == plain.length ? plain : Arrays.copyOf(plain, (int) n);
    }

    /** Below this many chunks one thread does it all (thread start-up would cost more than it saves). */
    static final int PARALLEL_MIN_CHUNKS = 16;

    /**
     * Room for the plaintext of a payload of {@code sealedSize} bytes: its exact length when well formed, and
     * enough for every chunk before a malformed (shorter than a tag) final one.
     */
    static long plainSize(long sealedSize) {
        long chunks = (sealedSize + SEALED - 1) / SEALED;
        return Math.max(0, Math.max(sealedSize - chunks * TAG, (chunks - 1) * CHUNK));
    }

    /**
     * Decrypts a payload of known length chunk by chunk on up to {@code threads} threads; returns the plaintext
     * length. Throws exactly what {@link #decrypt(byte[], InputStream, OutputStream)} throws for the same bytes.
     * As there, the sink's content is untrusted until this returns normally.
     */
    static long decrypt(byte[] payloadKey, Source in, Sink out, int threads) throws AgeException, IOException {
        long size = in.size();
        if (size == 0) {
            throw corrupt("the payload has no chunks");
        }
        long chunks = (size + SEALED - 1) / SEALED;
        int t = (int) Math.max(1, Math.min(threads, chunks / (PARALLEL_MIN_CHUNKS / 2)));
        if (chunks < PARALLEL_MIN_CHUNKS) {
            t = 1;
        }
        Chunks work = new Chunks(payloadKey, in, out, size, chunks);
        Thread[] helpers = new Thread[t - 1];
        for (int i = 1; i < t; i++) {
            helpers[i - 1] = new Thread(() -> work.run(null), "age-decrypt-" + i);
            helpers[i - 1].setDaemon(true);
        }
        Runnable startHelpers = () -> {
            for (Thread h : helpers) {
                h.start();
            }
        };
        if (chunks < SOLO_MIN_CHUNKS) {
            startHelpers.run();
            startHelpers = null;
        }
        work.run(startHelpers);
        boolean interrupted = false;
        for (Thread h : helpers) {
            while (true) {
                try {
                    h.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        work.rethrow();
        return size - chunks * TAG;
    }

    /*
     * A large payload starts on one thread and takes the others on only once a chunk decrypts fast (C2 has compiled
     * the cipher: ~40 us a chunk, against ~1.6 ms in C1 code) or after MAX_SOLO_NANOS. The JDK's ChaCha20 and
     * Poly1305 intrinsics exist only in C2 code, and while C2 compiles them a second slow thread would mostly take
     * the compiler's core. agentctl decrypt -o of 256 MiB, 20 rounds alternated on the loaded build VM: CPU median
     * 1.28 -> 1.17 s, fastest wall 809 -> 644 ms (age -d: 561 ms in the same rounds).
     */
    static final long SOLO_MIN_CHUNKS = 64; // 4 MiB: the launcher's threshold for C2 (bin/agentctl)
    static final long FAST_CHUNK_NANOS = 400_000L;
    static final long MAX_SOLO_NANOS = 300_000_000L;

    /** Chunks a thread claims at a time: small enough that the threads finish together, large enough not to contend. */
    static final int BATCH = 4;

    /**
     * The chunks of one payload, handed out in increasing batches to every thread that calls {@link #run} (so a
     * thread slowed by the JIT compiler or the scheduler takes fewer, instead of the others waiting for its fixed
     * share). A thread stops at its first failure; the failure of the lowest chunk wins, as when streaming. Every
     * chunk below it has been decrypted: batches are claimed in order, so all of them were claimed before the
     * failing one, and threads only skip chunks above the lowest failure known.
     */
    private static final class Chunks {
        private final byte[] payloadKey;
        private final Source in;
        private final Sink out;
        private final long size;
        private final long chunks;
        private final AtomicLong next = new AtomicLong();
        private long failedChunk = Long.MAX_VALUE; // guarded by this
        private Throwable failure; // guarded by this: the failure of failedChunk

        Chunks(byte[] payloadKey, Source in, Sink out, long size, long chunks) {
            this.payloadKey = payloadKey;
            this.in = in;
            this.out = out;
            this.size = size;
            this.chunks = chunks;
        }

        void run(Runnable whenFast) {
            long i = -1;
            long began = System.nanoTime();
            try {
                Cipher cipher = cipher();
                SecretKeySpec key = new SecretKeySpec(payloadKey, "ChaCha20");
                byte[] sealed = new byte[SEALED];
                byte[] plain = new byte[SEALED];
                byte[] nonce = new byte[12];
                while (true) {
                    long from = next.getAndAdd(BATCH);
                    long to = Math.min(chunks, from + BATCH);
                    if (from >= chunks || from > failedChunk()) {
                        return;
                    }
                    for (i = from; i < to; i++) {
                        long t0 = System.nanoTime();
                        decryptChunk(cipher, key, nonce, i, sealed, plain);
                        long t1 = System.nanoTime();
                        if (whenFast != null && (t1 - t0 < FAST_CHUNK_NANOS || t1 - began > MAX_SOLO_NANOS)) {
                            whenFast.run();
                            whenFast = null;
                        }
                    }
                }
            } catch (Throwable e) {
                failed(i, e);
            }
        }

        private void decryptChunk(Cipher cipher, SecretKeySpec key, byte[] nonce, long i, byte[] sealed, byte[] plain)
                throws AgeException, IOException {
            long offset = i * SEALED;
            int n = (int) Math.min(SEALED, size - offset);
            if (n < TAG) {
                throw corrupt("chunk " + i + " is shorter than its authentication tag");
            }
            in.read(offset, sealed, n);
            boolean finalChunk = i == chunks - 1;
            int len;
            if (n < SEALED) { // only the final chunk can be short
                len = open(cipher, key, nonce, i, true, sealed, n, plain);
            } else {
                len = open(cipher, key, nonce, i, false, sealed, n, plain);
                if (len >= 0 && finalChunk) {
                    throw corrupt("the payload is truncated (no final chunk)");
                }
                if (len < 0) {
                    // A full-size chunk may be the final one (plaintext an exact multiple of 64 KiB).
                    len = open(cipher, key, nonce, i, true, sealed, n, plain);
                    if (len >= 0 && !finalChunk) {
                        throw corrupt("trailing data after the final chunk");
                    }
                }
            }
            if (len < 0) {
                throw corrupt("chunk " + i + " failed authentication (corrupted or truncated file)");
            }
            if (finalChunk && len == 0 && i > 0) {
                throw corrupt("the final chunk is empty after data");
            }
            out.write(i * CHUNK, plain, len);
        }

        private synchronized long failedChunk() {
            return failedChunk;
        }

        /** {@code chunk} is -1 when the failure came before any chunk (no cipher): it then wins over all. */
        private synchronized void failed(long chunk, Throwable e) {
            if (chunk < failedChunk) {
                failedChunk = chunk;
                failure = e;
            }
        }

        synchronized void rethrow() throws AgeException, IOException {
            if (failure instanceof AgeException e) {
                throw e;
            }
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
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
