package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code openssh-key-v1} private keys (PROTOCOL.key): unencrypted, one key, ed25519 or RSA. The public key blob
 * stored in the file is used for the tag, so the tag matches what {@code age -R key.pub} wrote.
 */
final class OpenSshKeys {

    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private OpenSshKeys() {
    }

    static AgeIdentity parse(String pem, String source) throws AgeException {
        int end = pem.indexOf(END);
        if (end < 0) {
            throw invalid(source, "OpenSSH private key without its END line");
        }
        byte[] blob;
        try {
            blob = Base64.getMimeDecoder().decode(pem.substring(BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw invalid(source, "OpenSSH private key is not valid base64");
        }
        try {
            return parseBlob(blob, source);
        } catch (IllegalArgumentException e) {
            throw invalid(source, "malformed OpenSSH private key (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(blob, (byte) 0);
        }
    }

    private static AgeIdentity parseBlob(byte[] blob, String source) throws AgeException {
        SshBuffer b = new SshBuffer(blob);
        if (!Arrays.equals(b.bytes(MAGIC.length), MAGIC)) {
            throw invalid(source, "not an openssh-key-v1 private key");
        }
        String cipher = b.text();
        String kdf = b.text();
        b.string();  // kdf options
        if (!cipher.equals("none") || !kdf.equals("none")) {
            throw invalid(source, "passphrase-protected SSH key (" + cipher + "); host keys have no passphrase,"
                    + " remove it with ssh-keygen -p or use an unencrypted key");
        }
        if (b.uint32() != 1) {
            throw invalid(source, "OpenSSH key file holds more than one key");
        }
        byte[] publicWire = b.string();
        SshBuffer priv = new SshBuffer(b.string());
        if (priv.uint32() != priv.uint32()) {
            throw invalid(source, "OpenSSH private key check bytes differ (corrupt key)");
        }
        String type = priv.text();
        switch (type) {
            case SshKeys.ED25519 -> {
                byte[] pk = priv.string();
                byte[] sk = priv.string();
                if (pk.length != 32 || sk.length != 64) {
                    throw invalid(source, "malformed ssh-ed25519 private key");
                }
                byte[] seed = Arrays.copyOf(sk, 32);
                // Consistency check in Montgomery form (cheap; Bouncy Castle's Ed25519 would cost start-up time).
                byte[] scalar = SshKeys.ed25519SeedToX25519(seed);
                byte[] derived = X25519s.publicKey(scalar);
                Arrays.fill(scalar, (byte) 0);
                if (!Arrays.equals(SshKeys.ed25519PublicToX25519(pk).orElse(null), derived)
                        || !Arrays.equals(publicWire, SshKeys.ed25519Wire(pk))) {
                    throw invalid(source, "ssh-ed25519 private and public key do not match (corrupt key)");
                }
                AgeIdentity id = new SshEd25519Identity(seed, pk, source);
                Arrays.fill(seed, (byte) 0);
                Arrays.fill(sk, (byte) 0);
                return id;
            }
            case SshKeys.RSA -> {
                BigInteger n = priv.mpint();
                BigInteger e = priv.mpint();
                BigInteger d = priv.mpint();
                BigInteger iqmp = priv.mpint();
                BigInteger p = priv.mpint();
                BigInteger q = priv.mpint();
                return new SshRsaIdentity(rsaKey(n, e, d, p, q, iqmp, source), publicWire, source);
            }
            default -> throw invalid(source, "unsupported SSH key type " + safe(type)
                    + " (age supports ssh-ed25519 and ssh-rsa)");
        }
    }

    static RSAPrivateCrtKey rsaKey(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
                                   BigInteger qInv, String source) throws AgeException {
        if (n.signum() <= 0 || p.signum() <= 0 || q.signum() <= 0 || !p.multiply(q).equals(n)) {
            throw invalid(source, "malformed ssh-rsa private key");
        }
        try {
            RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(n, e, d, p, q,
                    d.mod(p.subtract(BigInteger.ONE)), d.mod(q.subtract(BigInteger.ONE)), qInv);
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException ex) {
            throw invalid(source, "malformed ssh-rsa private key");
        }
    }

    private static String safe(String s) {
        return s.length() <= 40 && s.chars().allMatch(c -> c >= 0x21 && c <= 0x7e) ? s : "(unprintable)";
    }

    static AgeException invalid(String source, String message) {
        return new AgeException(Kind.IDENTITY_INVALID, source + ": " + message);
    }
}
