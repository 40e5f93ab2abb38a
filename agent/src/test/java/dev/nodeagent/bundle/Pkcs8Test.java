package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

/** {@link Pkcs8} (JDK only) must give exactly the key Bouncy Castle's path gives, and leave the rest to it. */
class Pkcs8Test {

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** Bouncy Castle's own legacy encoding of a key: SEC1 for EC, PKCS#1 for RSA. */
    static byte[] legacyPem(KeyPair kp) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(kp);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void assertSameKey(PrivateKey expected, PrivateKey actual) {
        assertEquals(expected.getClass(), actual.getClass());
        assertEquals(expected.getAlgorithm(), actual.getAlgorithm());
        assertEquals(expected.getFormat(), actual.getFormat());
        assertArrayEquals(expected.getEncoded(), actual.getEncoded());
        assertEquals(expected, actual);
    }

    @Test
    void pkcs8EcAndRsaKeysAreReadByTheJdkExactlyAsBouncyCastleReadsThem() throws Exception {
        for (KeyPair kp : new KeyPair[] {ec("secp256r1"), ec("secp384r1"), rsa()}) {
            byte[] pem = Pem.encode(kp);
            PrivateKey jdk = Pkcs8.jdkKey(pem);
            assertNotNull(jdk);
            assertSameKey(Pem.bouncyCastlePrivateKey(pem), jdk);
            assertSameKey(jdk, Pem.privateKey(pem));
            // CRLF line ends and text before the block are PEM too
            String crlf = "some comment\r\n" + new String(pem, StandardCharsets.US_ASCII).replace("\n", "\r\n");
            assertSameKey(Pem.bouncyCastlePrivateKey(crlf.getBytes(StandardCharsets.US_ASCII)),
                    Pkcs8.jdkKey(crlf.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void everythingElseIsLeftToBouncyCastle() throws Exception {
        KeyPair ec = ec("secp256r1");
        byte[] sec1 = legacyPem(ec);
        assertNull(Pkcs8.jdkKey(sec1));
        // (Bouncy Castle's SEC1 of a JDK key lacks the curve, so its own reader refuses it: same refusal either way)
        assertEquals(assertThrows(IllegalArgumentException.class, () -> Pem.bouncyCastlePrivateKey(sec1)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(sec1)).getMessage());
        byte[] pkcs1 = legacyPem(rsa());
        assertNull(Pkcs8.jdkKey(pkcs1));
        assertEquals("RSA", Pem.privateKey(pkcs1).getAlgorithm());
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertNull(Pkcs8.jdkKey(Pem.encode(ed.generateKeyPair())));

        byte[] garbage = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(Pkcs8.jdkKey(garbage));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(garbage));
        assertEquals(assertThrows(IllegalArgumentException.class, () -> Pem.bouncyCastlePrivateKey(garbage)).getMessage(),
                e.getMessage());
        byte[] cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(Pkcs8.jdkKey(cert));
        String good = new String(Pem.encode(ec), StandardCharsets.US_ASCII);
        assertNull(Pkcs8.jdkKey(good.replace("-----END PRIVATE KEY-----", "").getBytes(StandardCharsets.US_ASCII)));
        assertNull(Pkcs8.jdkKey(good.replaceFirst("\n", "\nProc-Type: 4,ENCRYPTED\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
