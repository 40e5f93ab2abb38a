package dev.nodeagent.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.age.AgeException.Kind;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading identities and recipients: formats, refusals with the file named, and no key material in messages. */
class AgeKeysTest {

    static Path keys() throws URISyntaxException {
        return Path.of(AgeKeysTest.class.getResource("/age-keys").toURI());
    }

    static AgeException identityError(Path file) {
        return assertThrows(AgeException.class, () -> Identities.load(file, w -> { }));
    }

    @Test
    void passphraseProtectedKeyIsRefusedNamingTheFile() throws Exception {
        Path f = keys().resolve("encrypted_ed25519");
        AgeException e = identityError(f);
        assertEquals(Kind.IDENTITY_INVALID, e.kind());
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("passphrase"), e.getMessage());
    }

    @Test
    void unsupportedKeyTypesAndPublicKeysAreRefusedNamingTheFile() throws Exception {
        AgeException ecdsa = identityError(keys().resolve("ecdsa_key"));
        assertTrue(ecdsa.getMessage().contains("unsupported SSH key type ecdsa-sha2-nistp256"), ecdsa.getMessage());
        AgeException pub = identityError(keys().resolve("ecdsa_key.pub"));
        assertTrue(pub.getMessage().contains("ecdsa_key.pub:1: this is a public key"), pub.getMessage());
        assertEquals(Kind.RECIPIENT_INVALID, assertThrows(AgeException.class,
                () -> Recipients.load(keys().resolve("ecdsa_key.pub"))).kind());
    }

    @Test
    void errorsNeverQuoteKeyMaterial() throws Exception {
        List<String> secretLines = new ArrayList<>();
        for (String name : List.of("encrypted_ed25519", "ecdsa_key", "age_identity.txt")) {
            Files.readAllLines(keys().resolve(name)).stream().filter(l -> l.length() > 32 && !l.startsWith("#"))
                    .forEach(secretLines::add);
        }
        Path broken = Files.createTempFile("broken", ".txt");
        try {
            String id = Files.readAllLines(keys().resolve("age_identity.txt")).getLast();
            Files.writeString(broken, id.substring(0, id.length() - 1) + "x\n");  // bad checksum
            for (Path f : List.of(keys().resolve("encrypted_ed25519"), keys().resolve("ecdsa_key"), broken)) {
                String m = identityError(f).getMessage();
                for (String line : secretLines) {
                    assertFalse(m.contains(line.substring(16, 32)), m);  // past the AGE-SECRET-KEY-1 prefix
                }
            }
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void smallRsaRecipientIsRefused() throws Exception {
        AgeException e = assertThrows(AgeException.class,
                () -> Recipients.parse(Files.readString(keys().resolve("rsa1024_key.pub"))));
        assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    }

    @Test
    void groupOrWorldReadableKeyFileIsAWarningNotAnError(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        Files.copy(AgeRoundTripTest.KEYS.resolve("ssh_host_ed25519_key"), key);
        List<String> warnings = new ArrayList<>();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(1, Identities.load(key, warnings::add).size());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(key.toString()), warnings.get(0));
        warnings.clear();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Identities.load(key, warnings::add);
        assertEquals(List.of(), warnings);
    }

    @Test
    void pkcs8KeysAgeIdentityFilesAndAuthorizedKeysSyntaxWorkTogether() throws Exception {
        List<AgeRecipient> to = Recipients.load(keys().resolve("recipients.txt"));
        assertEquals(List.of("ssh-rsa", "X25519", "ssh-ed25519"), to.stream().map(AgeRecipient::type).toList());
        byte[] plain = AgeRoundTripTest.data(70_000);
        byte[] file = Age.encrypt(plain, to, false);
        List<AgeIdentity> x25519 = Identities.load(keys().resolve("age_identity.txt"), w -> { });
        assertEquals("X25519", x25519.get(0).type());
        for (List<AgeIdentity> ids : List.of(Identities.load(keys().resolve("pkcs8_rsa.pem"), w -> { }), x25519,
                AgeRoundTripTest.id("ssh_host_ed25519_key"))) {
            assertArrayEquals(plain, Age.decrypt(file, ids), ids.toString());
        }
        AgeIdentity ed = Identities.load(keys().resolve("pkcs8_ed25519.pem"), w -> { }).get(0);
        byte[] toEd = Age.encrypt(plain, List.of(Recipients.parse(ed.recipient())), true);
        assertArrayEquals(plain, Age.decrypt(toEd, List.of(ed)));
    }

    @Test
    void identityRecipientRoundTripsForEveryType() throws Exception {
        for (String k : List.of("ssh_host_ed25519_key", "ssh_host_rsa_key", "rsa2048_pem_key")) {
            AgeIdentity id = AgeRoundTripTest.id(k).get(0);
            assertEquals(id.sshTag(), Recipients.parse(id.recipient()).sshTag(), k);
            assertFalse(id.toString().contains("AAAA"), "toString shows no key: " + id);
        }
    }
}
