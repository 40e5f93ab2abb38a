package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Optional;
import javax.crypto.Cipher;

/** ssh-rsa identity: RSA-OAEP-SHA-256 unwrap. A stanza whose tag matches ours and then fails aborts the file. */
final class SshRsaIdentity implements AgeIdentity, Unwrapper {

    private final RSAPrivateCrtKey key;
    private final String tag;
    private final String recipient;
    private final String source;

    /** {@code wire}: the public key blob as the key file stores it, or {@code null} to rebuild it (PEM keys). */
    SshRsaIdentity(RSAPrivateCrtKey key, byte[] wire, String source) {
        this.key = key;
        if (wire == null) {
            wire = SshKeys.rsaWire(key.getPublicExponent(), key.getModulus());
        }
        this.tag = SshKeys.tag(wire);
        this.recipient = SshKeys.RSA + " " + java.util.Base64.getEncoder().encodeToString(wire);
        this.source = source;
    }

    @Override
    public String type() {
        return SshKeys.RSA;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Optional<String> sshTag() {
        return Optional.of(tag);
    }

    @Override
    public String recipient() {
        return recipient;
    }

    @Override
    public byte[] unwrap(WireStanza s) throws AgeException {
        if (!s.type().equals(SshKeys.RSA) || !s.args().get(0).equals(tag)) {
            return null;
        }
        int modulusBytes = (key.getModulus().bitLength() + 7) / 8;
        if (s.body().length != modulusBytes) {
            throw fail("body is " + s.body().length + " bytes, the key's modulus " + modulusBytes);
        }
        byte[] fileKey;
        try {
            fileKey = Oaep.cipher(Cipher.DECRYPT_MODE, key).doFinal(s.body());
        } catch (GeneralSecurityException e) {
            throw fail("names our key (" + tag + ") but does not decrypt with it");
        }
        if (fileKey.length != 16) {
            java.util.Arrays.fill(fileKey, (byte) 0);
            throw fail("wraps a file key that is not 16 bytes");
        }
        return fileKey;
    }

    private static AgeException fail(String what) {
        return new AgeException(Kind.HEADER_INVALID, "invalid age header: ssh-rsa stanza " + what);
    }

    @Override
    public String toString() {
        return "ssh-rsa identity " + tag + " from " + source;
    }
}
