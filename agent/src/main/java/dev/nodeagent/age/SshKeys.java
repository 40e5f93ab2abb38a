package dev.nodeagent.age;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * SSH key helpers shared by the ssh-ed25519 and ssh-rsa types: the key tag (base64 of SHA-256(wire)[0..4]), the
 * ssh-ed25519 tweak, and the Ed25519 → X25519 (Montgomery) conversions, which neither the JDK nor Bouncy Castle
 * expose.
 */
final class SshKeys {

    static final String ED25519 = "ssh-ed25519";
    static final String RSA = "ssh-rsa";
    static final String ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
    static final String RSA_LABEL = "age-encryption.org/v1/ssh-rsa";

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

    private SshKeys() {
    }

    /** The 6-character key tag that ssh-* stanzas carry as their first argument. */
    static String tag(byte[] wire) {
        return Base64s.raw(Arrays.copyOf(Crypto.sha256(wire), 4));
    }

    /** HKDF(ikm = "", salt = wire, info = ssh-ed25519 label): the scalar that blinds the shared secret. */
    static byte[] ed25519Tweak(byte[] wire) {
        return Crypto.hkdf(new byte[0], wire, ED25519_LABEL, 32);
    }

    /** SHA-512(seed)[0..32): the Ed25519 secret scalar, used as an X25519 scalar (X25519 clamps it). */
    static byte[] ed25519SeedToX25519(byte[] seed) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
            byte[] s = Arrays.copyOf(h, 32);
            Arrays.fill(h, (byte) 0);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        }
    }

    /**
     * Maps an Ed25519 public key (compressed Edwards point) to its Montgomery u-coordinate, u = (1+y)/(1−y).
     * Empty when the encoding is not a point on the curve (y ≥ p, or no x for this y), as Go's agessh rejects it.
     */
    static Optional<byte[]> ed25519PublicToX25519(byte[] pk) {
        if (pk.length != 32) {
            return Optional.empty();
        }
        byte[] be = reverse(pk);
        be[0] &= 0x7f;
        BigInteger y = new BigInteger(1, be);
        if (y.compareTo(P) >= 0) {
            return Optional.empty();
        }
        // x^2 = (y^2 - 1) / (d y^2 + 1); a square root must exist.
        BigInteger y2 = y.multiply(y).mod(P);
        BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
        if (x2.signum() != 0 && !x2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE)) {
            return Optional.empty();
        }
        BigInteger oneMinusY = BigInteger.ONE.subtract(y).mod(P);
        if (oneMinusY.signum() == 0) {
            return Optional.empty();
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(oneMinusY.modInverse(P)).mod(P);
        return Optional.of(littleEndian32(u));
    }

    static byte[] littleEndian32(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** SSH wire {@code string}. */
    static void putString(java.io.ByteArrayOutputStream out, byte[] s) {
        int n = s.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(s);
    }

    /** The SSH wire blob of an Ed25519 public key: string "ssh-ed25519" || string pk. */
    static byte[] ed25519Wire(byte[] pk) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(51);
        putString(out, ED25519.getBytes(StandardCharsets.US_ASCII));
        putString(out, pk);
        return out.toByteArray();
    }

    /** The SSH wire blob of an RSA public key: string "ssh-rsa" || mpint e || mpint n (minimal two's complement). */
    static byte[] rsaWire(BigInteger e, BigInteger n) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n.bitLength() / 8 + 32);
        putString(out, RSA.getBytes(StandardCharsets.US_ASCII));
        putString(out, e.toByteArray());
        putString(out, n.toByteArray());
        return out.toByteArray();
    }
}
