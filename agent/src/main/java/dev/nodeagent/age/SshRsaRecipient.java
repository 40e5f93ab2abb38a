package dev.nodeagent.age;

import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;

/** ssh-rsa recipient (≥ 2048 bits, checked by {@link Recipients}). */
final class SshRsaRecipient implements AgeRecipient, Wrapper {

    static final int MIN_BITS = 2048;

    private final RSAPublicKey key;
    private final String tag;

    SshRsaRecipient(RSAPublicKey key, byte[] wire) {
        this.key = key;
        this.tag = SshKeys.tag(wire);
    }

    @Override
    public String type() {
        return SshKeys.RSA;
    }

    @Override
    public Optional<String> sshTag() {
        return Optional.of(tag);
    }

    @Override
    public WireStanza wrap(byte[] fileKey) {
        try {
            byte[] body = Oaep.cipher(Cipher.ENCRYPT_MODE, key).doFinal(fileKey);
            return new WireStanza(SshKeys.RSA, List.of(tag), body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP encryption failed", e);
        }
    }

    @Override
    public String toString() {
        return "ssh-rsa recipient " + tag;
    }
}
