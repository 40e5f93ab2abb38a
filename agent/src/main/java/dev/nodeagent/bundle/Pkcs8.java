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
    /** DER of the algorithm OIDs, tag and length included. */
    private static final byte[] EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};

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
        int p = 0;
        if (der.length < 2 || der[p++] != 0x30) {
            return null;
        }
        p = skipLength(der, p);
        // version INTEGER 0
        if (p < 0 || p + 3 > der.length || der[p] != 0x02 || der[p + 1] != 0x01 || der[p + 2] != 0x00) {
            return null;
        }
        p += 3;
        if (p >= der.length || der[p++] != 0x30) {
            return null;
        }
        p = skipLength(der, p);
        if (p < 0) {
            return null;
        }
        if (startsWith(der, p, EC)) {
            return "EC";
        }
        if (startsWith(der, p, RSA)) {
            return "RSA";
        }
        return null;
    }

    private static boolean startsWith(byte[] der, int p, byte[] prefix) {
        return p + prefix.length <= der.length && Arrays.equals(der, p, p + prefix.length, prefix, 0, prefix.length);
    }

    /** Skips a DER length at {@code p}; returns the position after it, or -1. */
    private static int skipLength(byte[] der, int p) {
        if (p >= der.length) {
            return -1;
        }
        int len = der[p++] & 0xff;
        if (len < 0x80) {
            return p;
        }
        int n = len & 0x7f;
        return n == 0 || n > 3 || p + n > der.length ? -1 : p + n;
    }
}
