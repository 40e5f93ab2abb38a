package dev.nodeagent.bundle;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The JDK-only path of {@link Pem#privateKey} for the common case, an unencrypted PKCS#8 {@code PRIVATE KEY} of an
 * EC or RSA key (what {@link Pem#encode} and openssl 3 write): the same key Bouncy Castle's PEM parser and key
 * converter give (they too hand the PKCS#8 bytes to the JDK's {@code KeyFactory}), without loading Bouncy Castle's
 * ≈170 PEM and ASN.1 classes into the daemon. Anything else — SEC1, PKCS#1, other algorithms, text before the key,
 * headers, bad base64 — returns null, and the caller takes Bouncy Castle's path with its own checks and messages.
 */
final class Pkcs8 {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    /** The algorithm OIDs' contents octets: 1.2.840.10045.2.1 (id-ecPublicKey), 1.2.840.113549.1.1.1 (rsaEncryption). */
    private static final byte[] EC = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};

    private Pkcs8() {
    }

    /** The key, or null: let Bouncy Castle read it. */
    static PrivateKey jdkKey(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0 || !text.startsWith(BEGIN, begin)) {
            return null;
        }
        int bodyStart = begin + BEGIN.length();
        int end = text.indexOf(END, bodyStart);
        if (end < 0) {
            return null;
        }
        StringBuilder b64 = new StringBuilder(end - bodyStart);
        for (int i = bodyStart; i < end; i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                    || c == '=') {
                b64.append(c);
            } else if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                return null; // headers or stray characters: Bouncy Castle decides
            }
        }
        byte[] der = null;
        try {
            der = Base64.getDecoder().decode(b64.toString());
            String algorithm = algorithm(der);
            if (algorithm == null) {
                return null;
            }
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    /**
     * "EC" or "RSA" when {@code der} starts like a PKCS#8 PrivateKeyInfo of that algorithm ({@code SEQUENCE {
     * INTEGER 0, SEQUENCE { OID, ...}, ...}}); null otherwise.
     */
    static String algorithm(byte[] der) {
        DerReader info = new DerReader(der, 0, der.length).enter(0x30);
        DerReader version = info == null ? null : info.enter(0x02);
        if (version == null || version.end - version.pos != 1 || der[version.pos] != 0) {
            return null;
        }
        DerReader algorithm = info.enter(0x30);
        DerReader oid = algorithm == null ? null : algorithm.enter(0x06);
        if (oid == null) {
            return null;
        }
        if (Arrays.equals(der, oid.pos, oid.end, EC, 0, EC.length)) {
            return "EC";
        }
        if (Arrays.equals(der, oid.pos, oid.end, RSA, 0, RSA.length)) {
            return "RSA";
        }
        return null;
    }
}
