package dev.nodeagent.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the header/armor parser and the decryptor: on any mutated input only
 * {@link AgeException} may escape, and a "successful" decryption must return exactly the original plaintext
 * (so a mutation can never smuggle in other plaintext). Runs {@code age.fuzz.seconds} (default 3) seconds;
 * {@code -Dage.fuzz.seconds=600 -Dage.fuzz.seed=…} for a long run. The seed is printed to reproduce a failure.
 */
class AgeFuzzTest {

    private static final byte[] INTERESTING = "\n\r -=>+/A0age-encryption.org/v1---BEGIN".getBytes();

    @Test
    void mutatedFilesOnlyEverRaiseAgeExceptionAndNeverYieldOtherPlaintext() throws Exception {
        long seconds = Long.getLong("age.fuzz.seconds", 3);
        long seed = Long.getLong("age.fuzz.seed", System.nanoTime());
        System.out.println("age fuzz seed " + seed + ", " + seconds + " s");
        Random random = new Random(seed);

        AgeIdentity x = Identities.parse(Bech32s.encodeIdentity(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), "fuzz").get(0);
        List<AgeIdentity> ids = new ArrayList<>(AgeRoundTripTest.id("ssh_host_ed25519_key"));
        ids.addAll(AgeRoundTripTest.id("rsa2048_pem_key"));
        ids.add(x);
        List<AgeRecipient> to = List.of(AgeRoundTripTest.pub("ssh_host_ed25519_key"),
                AgeRoundTripTest.pub("rsa2048_pem_key"), Recipients.parse(x.recipient()));

        List<byte[]> plains = new ArrayList<>();
        List<byte[]> seeds = new ArrayList<>();
        for (int size : new int[] {0, 1, 100, 65536, 70000}) {
            byte[] p = AgeRoundTripTest.data(size);
            for (List<AgeRecipient> r : List.of(to, List.of(to.get(0)), List.of(to.get(2)))) {
                plains.add(p);
                seeds.add(Age.encrypt(p, r, false));
                plains.add(p);
                seeds.add(Age.encrypt(p, r, size < 1000));
            }
        }

        // The testkit files as extra seeds: every header/armor shape the spec knows (their plaintext is not ours).
        for (AgeVectors v : java.util.stream.Stream.concat(AgeVectors.all(AgeVectors.root()),
                AgeVectors.all(AgeVectors.root().resolve("ssh"))).toList()) {
            if (v.body().length < 200_000) {
                plains.add(null);
                seeds.add(v.body());
            }
        }

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long runs = 0;
        while (System.nanoTime() < deadline) {
            int i = random.nextInt(seeds.size());
            byte[] mutated = mutate(seeds.get(i), random);
            runs++;
            try {
                Age.stanzas(mutated);
            } catch (AgeException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("stanzas(): undeclared " + e + " (seed " + seed + ", run " + runs + ")", e);
            }
            try {
                byte[] out = Age.decrypt(mutated, ids);
                if (plains.get(i) != null) {
                    assertArrayEquals(plains.get(i), out, "a mutated file decrypted to other plaintext (seed " + seed + ")");
                }
            } catch (AgeException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("decrypt(): undeclared " + e + " (seed " + seed + ", run " + runs + ")", e);
            }
        }
        System.out.println("age fuzz: " + runs + " mutated files");
        assertTrue(runs > 50, "the fuzz loop barely ran: " + runs);
    }

    /** 1–4 mutations biased towards the header, where the parser lives. */
    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && b.length > 0; k++) {
            int pos = r.nextInt(10) < 8 ? r.nextInt(Math.min(b.length, 600)) : r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[pos] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[pos] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = splice(b, pos, 1, new byte[0]);
                case 3 -> b = splice(b, pos, 0, new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]});
                case 4 -> b = java.util.Arrays.copyOf(b, pos);
                case 5 -> {
                    int len = Math.min(b.length - pos, 1 + r.nextInt(80));
                    b = splice(b, pos, 0, java.util.Arrays.copyOfRange(b, pos, pos + len));
                }
                default -> b[pos] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int pos, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(b, pos + remove, out, pos + insert.length, b.length - pos - remove);
        return out;
    }
}
