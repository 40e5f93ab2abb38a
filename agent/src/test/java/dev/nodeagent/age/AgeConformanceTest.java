package dev.nodeagent.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official age testkit (C2SP CCTV) plus the project's ssh/ supplement. A failure vector passes only with an
 * error of the expected kind and no plaintext at all (stricter than the testkit's streaming rule). Vectors that
 * need scrypt passphrases or post-quantum identities are skipped explicitly, by kind.
 */
class AgeConformanceTest {

    private static final Map<String, Kind> KINDS = Map.of(
            "no match", Kind.NO_MATCH,
            "HMAC failure", Kind.HEADER_MAC_MISMATCH,
            "header failure", Kind.HEADER_INVALID,
            "payload failure", Kind.PAYLOAD_CORRUPT,
            "armor failure", Kind.ARMOR_INVALID);
    private static final AtomicInteger RAN = new AtomicInteger();

    static Stream<AgeVectors> cctv() throws IOException {
        return AgeVectors.all(AgeVectors.root());
    }

    static Stream<AgeVectors> ssh() throws IOException {
        return AgeVectors.all(AgeVectors.root().resolve("ssh"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cctv")
    void cctvVectorGivesTheExpectedOutcome(AgeVectors v) throws Exception {
        List<String> x25519 = v.get("identity").stream().filter(i -> i.startsWith("AGE-SECRET-KEY-1")).toList();
        boolean needsOtherKeys = !v.get("passphrase").isEmpty() || v.get("identity").size() > x25519.size();
        Assumptions.assumeFalse(x25519.isEmpty() && needsOtherKeys,
                "skipped by kind: needs " + (v.get("passphrase").isEmpty() ? "a post-quantum identity" : "scrypt"));
        List<AgeIdentity> ids = new ArrayList<>();
        for (String i : x25519) {
            ids.addAll(Identities.parse(i, v.name()));
        }
        check(v, ids);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ssh")
    void sshVectorGivesTheExpectedOutcome(AgeVectors v) throws Exception {
        List<AgeIdentity> ids = new ArrayList<>();
        for (String i : v.get("identity")) {
            ids.addAll(Identities.parse(i, v.name()));
        }
        for (String f : v.get("identity file")) {
            ids.addAll(Identities.load(v.dir().resolve(f), w -> { }));
        }
        check(v, ids);
    }

    private static void check(AgeVectors v, List<AgeIdentity> ids) {
        RAN.incrementAndGet();
        String expect = v.expect();
        byte[] out = null;
        AgeException error = null;
        try {
            out = Age.decrypt(v.body(), ids);
        } catch (AgeException e) {
            error = e;
        } catch (RuntimeException e) {
            fail("undeclared exception " + e, e);
        }
        if (expect.equals("success")) {
            if (error != null) {
                fail("expected success, got " + error.kind() + ": " + error.getMessage());
            }
            assertEquals(v.get("payload").get(0), HexFormat.of().formatHex(Crypto.sha256(out)));
            return;
        }
        assertTrue(out == null, "a failure vector released plaintext");
        if (error == null) {
            fail("expected " + expect + ", but decryption succeeded");
        }
        Set<Kind> accepted = v.name().equals("scrypt_and_x25519")
                ? Set.of(Kind.HEADER_INVALID, Kind.NO_MATCH)  // header failure in the kit, no match in age 1.1.1
                : Set.of(KINDS.get(expect));
        assertTrue(accepted.contains(error.kind()),
                "expected " + expect + ", got " + error.kind() + ": " + error.getMessage());
    }

    @Test
    void everyHeaderThatParsesReencodesToTheSameBytes() throws Exception {
        int checked = 0;
        for (AgeVectors v : Stream.concat(cctv(), ssh()).toList()) {
            byte[] bin;
            try {
                bin = Armor.isArmored(v.body()) ? Armor.decode(v.body()) : v.body();
                Header h = HeaderReader.read(new java.io.ByteArrayInputStream(bin));
                assertArrayEquals(h.macInput(), Header.encodeMacInput(h.stanzas()), v.name());
                checked++;
            } catch (AgeException e) {
                // not parseable: nothing to round-trip
            }
        }
        assertTrue(checked > 100, "round-tripped " + checked);
    }

    @AfterAll
    static void report() {
        System.out.println("age vectors run: " + RAN.get());
    }
}
