package dev.nodeagent.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parallel decryptor (known payload length, chunks on several threads) must be indistinguishable from the
 * streaming one: same plaintext, or the same error kind and message (the lowest failing chunk's), on 1, 2 and 4
 * threads, for well-formed payloads (also large ones, which start on one thread) and for every STREAM edge case: exact multiples of 64 KiB, empty final
 * chunks, missing final chunks, trailing data, chunks out of order, corruption in several chunks, truncation.
 */
class PayloadParallelTest {

    static final byte[] KEY = new Random(7).ints(32, 0, 256).collect(
            ByteArrayOutputStream::new, ByteArrayOutputStream::write, (a, b) -> { }).toByteArray();
    static final int C = PayloadStream.CHUNK;
    static final int N = PayloadStream.PARALLEL_MIN_CHUNKS + 4;

    /** One sealed chunk with an arbitrary counter and last flag. */
    static byte[] seal(long counter, boolean last, int len) throws Exception {
        byte[] plain = new byte[len];
        new Random(counter * 31 + len).nextBytes(plain);
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[10 - i] = (byte) (counter >>> (8 * i));
        }
        nonce[11] = (byte) (last ? 1 : 0);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "ChaCha20"), new IvParameterSpec(nonce));
        return c.doFinal(plain);
    }

    /** Chunks 0..n-1, full size, the last one flagged final and {@code lastLen} long. */
    static byte[] payload(int n, int lastLen) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n - 1; i++) {
            out.write(seal(i, false, C));
        }
        out.write(seal(n - 1, true, lastLen));
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] flip(byte[] b, int... positions) {
        byte[] c = b.clone();
        for (int p : positions) {
            c[p] ^= 0x40;
        }
        return c;
    }

    static Stream<Arguments> payloads() throws Exception {
        int s = PayloadStream.SEALED;
        byte[] normal = payload(N, 1000);
        byte[] exact = payload(N, C);
        List<Arguments> cases = new ArrayList<>(List.of(
                Arguments.of("empty payload", new byte[0]),
                Arguments.of("one empty final chunk", payload(1, 0)),
                Arguments.of("one short chunk", payload(1, 5)),
                Arguments.of("one full final chunk", payload(1, C)),
                Arguments.of("small, several chunks", payload(3, 77)),
                Arguments.of("normal", normal),
                Arguments.of("exact multiple of 64 KiB", exact),
                Arguments.of("empty final chunk after data", concat(Arrays.copyOf(payload(N, C), (N - 1) * s),
                        seal(N - 1, true, 0))),
                Arguments.of("no final chunk", Arrays.copyOf(payload(N + 1, 10), N * s)),
                Arguments.of("no final chunk, small", Arrays.copyOf(payload(3, 10), 2 * s)),
                Arguments.of("trailing byte", concat(normal, new byte[1])),
                Arguments.of("trailing tag-sized junk", concat(normal, new byte[16])),
                Arguments.of("trailing chunk after an exact final", concat(exact, seal(N, true, 10))),
                Arguments.of("final flag in the middle", concat(payload(5, C), payload(N, 10))),
                Arguments.of("last chunk shorter than a tag", concat(Arrays.copyOf(exact, (N - 1) * s), new byte[5])),
                Arguments.of("last chunk shorter than a tag, small", concat(Arrays.copyOf(payload(3, C), s), new byte[3])),
                Arguments.of("chunks swapped", concat(Arrays.copyOfRange(normal, 0, 2 * s),
                        Arrays.copyOfRange(normal, 3 * s, 4 * s), Arrays.copyOfRange(normal, 2 * s, 3 * s),
                        Arrays.copyOfRange(normal, 4 * s, normal.length))),
                Arguments.of("corrupt first chunk", flip(normal, 10)),
                Arguments.of("corrupt chunk in the second half", flip(normal, (N - 3) * s + 99)),
                Arguments.of("corrupt in both halves: the lowest wins", flip(normal, (N - 2) * s + 5, 3 * s + 5)),
                Arguments.of("corrupt final tag", flip(normal, normal.length - 1))));
        for (int cut : new int[] {1, 15, 16, 17, 1016, 1017}) {
            cases.add(Arguments.of("truncated by " + cut, Arrays.copyOf(normal, normal.length - cut)));
        }
        // Large enough for the single-thread start (the other threads join once chunks decrypt fast).
        int l = (int) PayloadStream.SOLO_MIN_CHUNKS + 6;
        byte[] large = payload(l, 500);
        cases.add(Arguments.of("large", large));
        cases.add(Arguments.of("large, corrupt early and late: the lowest wins", flip(large, (l - 3) * s + 7, 40 * s + 9)));
        cases.add(Arguments.of("large, corrupt first chunk", flip(large, 3)));
        cases.add(Arguments.of("large, no final chunk", Arrays.copyOf(payload(l + 1, 10), l * s)));
        cases.add(Arguments.of("large, truncated by 17", Arrays.copyOf(large, large.length - 17)));
        return cases.stream();
    }

    record Outcome(byte[] plain, AgeException error) {
        void assertSame(Outcome expected, String what) {
            if (expected.error() == null) {
                assertNull(error, what + ": " + error);
                assertArrayEquals(expected.plain(), plain, what);
            } else {
                assertNotNull(error, what + " succeeded but streaming failed with " + expected.error().getMessage());
                assertEquals(expected.error().kind(), error.kind(), what);
                assertEquals(expected.error().getMessage(), error.getMessage(), what);
            }
        }
    }

    static Outcome streaming(byte[] payload) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PayloadStream.decrypt(KEY, new ByteArrayInputStream(payload), out);
            return new Outcome(out.toByteArray(), null);
        } catch (AgeException e) {
            return new Outcome(null, e);
        }
    }

    static Outcome parallel(byte[] payload, int threads) throws Exception {
        byte[] plain = new byte[(int) PayloadStream.plainSize(payload.length)];
        try {
            long n = PayloadStream.decrypt(KEY, new PayloadStream.Source() {
                @Override
                public long size() {
                    return payload.length;
                }

                @Override
                public void read(long offset, byte[] dst, int len) {
                    System.arraycopy(payload, (int) offset, dst, 0, len);
                }
            }, (offset, b, len) -> System.arraycopy(b, 0, plain, (int) offset, len), threads);
            return new Outcome(Arrays.copyOf(plain, (int) n), null);
        } catch (AgeException e) {
            return new Outcome(null, e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void theParallelDecryptorAgreesWithTheStreamingOne(String name, byte[] payload) throws Exception {
        Outcome expected = streaming(payload);
        for (int threads : new int[] {1, 2, 4}) {
            parallel(payload, threads).assertSame(expected, name + " on " + threads + " threads");
        }
    }

    @Test
    void theCasesCoverSuccessAndEveryPayloadError() throws Exception {
        List<String> messages = new ArrayList<>();
        for (Arguments a : payloads().toList()) {
            Outcome o = streaming((byte[]) a.get()[1]);
            messages.add(o.error() == null ? "ok" : o.error().getMessage().replaceAll("chunk \\d+", "chunk N"));
        }
        for (String m : List.of("ok", "age payload corrupt: the payload has no chunks",
                "age payload corrupt: the payload is truncated (no final chunk)",
                "age payload corrupt: trailing data after the final chunk",
                "age payload corrupt: the final chunk is empty after data",
                "age payload corrupt: chunk N is shorter than its authentication tag",
                "age payload corrupt: chunk N failed authentication (corrupted or truncated file)")) {
            assertTrue(messages.contains(m), m + " not covered: " + messages);
        }
    }

    /** The file paths (positional reads; to a path atomically, to a stream staged) agree with the byte-array API. */
    @Test
    void fileChannelDecryptionMatchesTheInMemoryApi(@TempDir Path dir) throws Exception {
        List<AgeIdentity> ids = AgeRoundTripTest.id("ssh_host_ed25519_key");
        AgeRecipient to = AgeRoundTripTest.pub("ssh_host_ed25519_key");
        for (int size : new int[] {0, 1, C, 5 * C + 3, StagedOutput.MEMORY_LIMIT + 3 * C + 1}) {
            byte[] plain = AgeRoundTripTest.data(size);
            for (boolean armor : new boolean[] {false, true}) {
                if (armor && size > C) {
                    continue;
                }
                Path file = dir.resolve("f.age");
                Files.write(file, Age.encrypt(plain, List.of(to), armor));
                Path out = dir.resolve("out");
                try (FileChannel in = FileChannel.open(file)) {
                    AgeFiles.decrypt(in, out, ids);
                }
                assertArrayEquals(plain, Files.readAllBytes(out), size + " to a path");
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(out)));
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (FileChannel in = FileChannel.open(file)) {
                    AgeFiles.decrypt(in, sink, ids);
                }
                assertArrayEquals(plain, sink.toByteArray(), size + " to a stream");
                Path viaFd = dir.resolve("via-fd");
                try (FileChannel in = FileChannel.open(file); FileOutputStream fos = new FileOutputStream(viaFd.toFile())) {
                    AgeFiles.decrypt(in, fos, ids); // a file stream: the spill file is copied by the kernel
                }
                assertArrayEquals(plain, Files.readAllBytes(viaFd), size + " to a file stream");
                Files.delete(out);
            }
        }
    }

    @Test
    void aCorruptFileWritesNothingThroughTheFilePaths(@TempDir Path dir) throws Exception {
        List<AgeIdentity> ids = AgeRoundTripTest.id("ssh_host_ed25519_key");
        byte[] file = Age.encrypt(AgeRoundTripTest.data(StagedOutput.MEMORY_LIMIT + 5 * C),
                List.of(AgeRoundTripTest.pub("ssh_host_ed25519_key")), false);
        file[file.length - 3] ^= 1; // the final chunk: every other chunk authenticates and is written first
        Path in = dir.resolve("bad.age");
        Files.write(in, file);
        Path out = dir.resolve("out");
        try (FileChannel ch = FileChannel.open(in)) {
            AgeException e = org.junit.jupiter.api.Assertions.assertThrows(AgeException.class,
                    () -> AgeFiles.decrypt(ch, out, ids));
            assertEquals(AgeException.Kind.PAYLOAD_CORRUPT, e.kind());
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(in)) {
            org.junit.jupiter.api.Assertions.assertThrows(AgeException.class, () -> AgeFiles.decrypt(ch, sink, ids));
        }
        assertEquals(0, sink.size());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(in), s.toList(), "no output and no temp file after a failure");
        }
    }
}
