package dev.nodeagent.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.age.AgeException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgeRoundTripTest {

    static final Path KEYS = AgeVectors.root().resolve("ssh/keys");

    static List<AgeIdentity> id(String name) throws AgeException {
        return Identities.load(KEYS.resolve(name), w -> { });
    }

    static AgeRecipient pub(String name) throws Exception {
        return Recipients.parse(Files.readString(KEYS.resolve(name + ".pub")));
    }

    static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 3 * 65536 + 5})
    void encryptingToEd25519RsaAndX25519DecryptsWithEachIdentity(int size) throws Exception {
        AgeIdentity x = Identities.parse(Bech32s.encodeIdentity(data(32)), "generated").get(0);
        List<AgeRecipient> to = List.of(pub("ssh_host_ed25519_key"), pub("ssh_host_rsa_key"),
                Recipients.parse(x.recipient()));
        byte[] plain = data(size);
        byte[] file = Age.encrypt(plain, to, false);
        assertArrayEquals(plain, Age.decrypt(file, id("ssh_host_ed25519_key")));
        assertArrayEquals(plain, Age.decrypt(file, id("ssh_host_rsa_key")));
        assertArrayEquals(plain, Age.decrypt(file, List.of(x)));
    }

    @Test
    void armoredOutputIsDetectedOnDecrypt() throws Exception {
        byte[] plain = data(1000);
        byte[] file = Age.encrypt(plain, List.of(pub("rsa2048_pem_key")), true);
        assertTrue(new String(file, 0, 34).startsWith(Armor.BEGIN));
        assertArrayEquals(plain, Age.decrypt(file, id("rsa2048_pem_key")));
    }

    @Test
    void noMatchNamesTheFilesRecipientsAndOurKeys() throws Exception {
        AgeRecipient to = pub("other_ed25519_key");
        byte[] file = Age.encrypt(data(10), List.of(to), false);
        AgeException e = assertThrows(AgeException.class, () -> Age.decrypt(file, id("ssh_host_ed25519_key")));
        assertEquals(Kind.NO_MATCH, e.kind());
        String ours = id("ssh_host_ed25519_key").get(0).sshTag().orElseThrow();
        assertTrue(e.getMessage().contains("ssh-ed25519 " + to.sshTag().orElseThrow()), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-ed25519 " + ours), e.getMessage());
        assertEquals(List.of(new Stanza("ssh-ed25519", Age.stanzas(file).get(0).args())), Age.stanzas(file));
    }

    /** rage adds one random grease stanza to every file (type like {@code @S-grease}, 0-4 args, short body). */
    @Test
    void noMatchLeavesRagesGreaseStanzasOutOfTheRecipients() throws Exception {
        AgeRecipient to = pub("other_ed25519_key");
        String file = new String(Age.encrypt(data(10), List.of(to), false), java.nio.charset.StandardCharsets.ISO_8859_1);
        String intro = "age-encryption.org/v1\n";
        String greased = intro + "-> @S-grease a ;x\nB3bpxvj7LdWh6y9ARa+mCFY8TOc\n-> x-grease\n\n"
                + "-> grease-plugin 1\nAAAA\n" + file.substring(intro.length());
        byte[] bytes = greased.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(4, Age.stanzas(bytes).size(), "the grease stanzas parse");
        AgeException e = assertThrows(AgeException.class, () -> Age.decrypt(bytes, id("ssh_host_ed25519_key")));
        assertEquals(Kind.NO_MATCH, e.kind());
        String m = e.getMessage();
        assertTrue(m.contains("encrypted to ssh-ed25519 " + to.sshTag().orElseThrow() + "; tried "), m);
        assertFalse(m.contains("grease"), m);

        // only grease: say so rather than an empty list
        String onlyGrease = intro + "-> x-grease\n\n--- " + "A".repeat(43) + "\n";
        AgeException g = assertThrows(AgeException.class, () -> Age.decrypt(
                onlyGrease.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), id("ssh_host_ed25519_key")));
        assertEquals(Kind.NO_MATCH, g.kind(), g.getMessage());
        assertTrue(g.getMessage().contains("encrypted to no recipient type this agent knows; tried "), g.getMessage());
    }

    @Test
    void identitiesCarryTheTagOfTheirPublicKey() throws Exception {
        for (String k : List.of("ssh_host_ed25519_key", "ssh_host_rsa_key", "rsa2048_pem_key", "other_rsa_key")) {
            assertEquals(pub(k).sshTag(), id(k).get(0).sshTag(), k);
        }
    }

    @Test
    void streamingDecryptToAPathIsAtomicAndLeavesNothingOnFailure(@TempDir Path dir) throws Exception {
        byte[] plain = data(200_000);
        byte[] file = Age.encrypt(plain, List.of(pub("ssh_host_ed25519_key")), false);
        Path out = dir.resolve("plain");
        AgeFiles.decrypt(new ByteArrayInputStream(file), out, id("ssh_host_ed25519_key"));
        assertArrayEquals(plain, Files.readAllBytes(out));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out)));

        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 1);
        Path out2 = dir.resolve("plain2");
        AgeException e = assertThrows(AgeException.class,
                () -> AgeFiles.decrypt(new ByteArrayInputStream(truncated), out2, id("ssh_host_ed25519_key")));
        assertEquals(Kind.PAYLOAD_CORRUPT, e.kind());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "no output and no temp file after a failure");
        }
    }

    @Test
    void streamingDecryptToAStreamReleasesNothingWhenTheEndIsCorrupt() throws Exception {
        byte[] plain = data(StagedOutput.MEMORY_LIMIT + 300_000);  // also exercises the spill file
        byte[] file = Age.encrypt(plain, List.of(pub("ssh_host_ed25519_key")), false);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AgeFiles.decrypt(new ByteArrayInputStream(file), sink, id("ssh_host_ed25519_key"));
        assertArrayEquals(plain, sink.toByteArray());

        file[file.length - 3] ^= 1;
        ByteArrayOutputStream sink2 = new ByteArrayOutputStream();
        assertThrows(AgeException.class,
                () -> AgeFiles.decrypt(new ByteArrayInputStream(file), sink2, id("ssh_host_ed25519_key")));
        assertEquals(0, sink2.size());
    }

    @Test
    void smallRsaKeysAndUnsupportedTypesAreRejectedAsRecipients() {
        assertEquals(Kind.RECIPIENT_INVALID, assertThrows(AgeException.class, () -> Recipients.parse(
                "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA== x")).kind());
        assertFalse(assertThrows(AgeException.class, () -> Recipients.parse("hello")).getMessage().isEmpty());
    }
}
