package dev.nodeagent.age;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** ssh-ed25519 recipient: an Ed25519 public key, mapped to Montgomery form; the tweak blinds the shared secret. */
final class SshEd25519Recipient implements AgeRecipient, Wrapper {

    private final byte[] montgomeryPublic;
    private final byte[] tweak;
    private final String tag;

    /** {@code montgomeryPublic} must come from {@link SshKeys#ed25519PublicToX25519} (point validated). */
    SshEd25519Recipient(byte[] wire, byte[] montgomeryPublic) {
        this.montgomeryPublic = montgomeryPublic.clone();
        this.tweak = SshKeys.ed25519Tweak(wire);
        this.tag = SshKeys.tag(wire);
    }

    @Override
    public String type() {
        return SshKeys.ED25519;
    }

    @Override
    public Optional<String> sshTag() {
        return Optional.of(tag);
    }

    @Override
    public WireStanza wrap(byte[] fileKey) {
        byte[] ephemeral = Crypto.random(32);
        byte[] share = X25519s.publicKey(ephemeral);
        byte[] shared = X25519s.x25519(ephemeral, montgomeryPublic);
        byte[] tweaked = shared == null ? null : X25519s.x25519(tweak, shared);
        if (tweaked == null) {
            throw new IllegalStateException("low-order ssh-ed25519 recipient");  // rejected at parse time
        }
        byte[] salt = new byte[64];
        System.arraycopy(share, 0, salt, 0, 32);
        System.arraycopy(montgomeryPublic, 0, salt, 32, 32);
        byte[] wrapKey = Crypto.hkdf(tweaked, salt, SshKeys.ED25519_LABEL, 32);
        byte[] body = Crypto.sealZeroNonce(wrapKey, fileKey);
        Arrays.fill(ephemeral, (byte) 0);
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(tweaked, (byte) 0);
        Arrays.fill(wrapKey, (byte) 0);
        return new WireStanza(SshKeys.ED25519, List.of(tag, Base64s.raw(share)), body);
    }

    @Override
    public String toString() {
        return "ssh-ed25519 recipient " + tag;
    }
}
