package dev.nodeagent.age;

import java.util.List;
import java.util.Optional;

/** Native age X25519 recipient ({@code age1…}). */
final class X25519Recipient implements AgeRecipient, Wrapper {

    private final byte[] publicKey;

    X25519Recipient(byte[] publicKey) {
        this.publicKey = publicKey.clone();
    }

    @Override
    public String type() {
        return X25519Identity.TYPE;
    }

    @Override
    public Optional<String> sshTag() {
        return Optional.empty();
    }

    @Override
    public WireStanza wrap(byte[] fileKey) {
        byte[] ephemeral = Crypto.random(32);
        byte[] share = X25519s.publicKey(ephemeral);
        byte[] shared = X25519s.x25519(ephemeral, publicKey);
        if (shared == null) {
            throw new IllegalStateException("low-order X25519 recipient");  // rejected at parse time
        }
        byte[] salt = new byte[64];
        System.arraycopy(share, 0, salt, 0, 32);
        System.arraycopy(publicKey, 0, salt, 32, 32);
        byte[] wrapKey = Crypto.hkdf(shared, salt, X25519Identity.LABEL, 32);
        byte[] body = Crypto.sealZeroNonce(wrapKey, fileKey);
        java.util.Arrays.fill(ephemeral, (byte) 0);
        java.util.Arrays.fill(shared, (byte) 0);
        java.util.Arrays.fill(wrapKey, (byte) 0);
        return new WireStanza(X25519Identity.TYPE, List.of(Base64s.raw(share)), body);
    }

    @Override
    public String toString() {
        return Bech32s.encodeRecipient(publicKey);
    }
}
