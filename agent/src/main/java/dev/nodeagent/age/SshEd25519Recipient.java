package dev.nodeagent.age;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

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
        byte[] share = new byte[32];
        X25519.scalarMultBase(ephemeral, 0, share, 0);
        byte[] shared = new byte[32];
        if (!X25519.calculateAgreement(ephemeral, 0, montgomeryPublic, 0, shared, 0)) {
            throw new IllegalStateException("low-order ssh-ed25519 recipient");  // rejected at parse time
        }
        byte[] tweaked = new byte[32];
        X25519.scalarMult(tweak, 0, shared, 0, tweaked, 0);
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
