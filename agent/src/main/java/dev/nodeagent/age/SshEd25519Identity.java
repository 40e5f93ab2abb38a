package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.util.Arrays;
import java.util.Optional;

/**
 * ssh-ed25519 identity (agessh semantics): X25519 with the Ed25519 key's scalar, the shared secret blinded by a
 * tweak derived from the SSH public key blob. A stanza whose tag matches ours and then fails aborts the file.
 */
final class SshEd25519Identity implements AgeIdentity, Unwrapper {

    private final byte[] scalar;
    private final byte[] montgomeryPublic;
    private final byte[] tweak;
    private final String tag;
    private final String recipient;
    private final String source;

    SshEd25519Identity(byte[] seed, byte[] publicKey, String source) {
        this.scalar = SshKeys.ed25519SeedToX25519(seed);
        this.montgomeryPublic = X25519s.publicKey(scalar);
        byte[] wire = SshKeys.ed25519Wire(publicKey);
        this.tweak = SshKeys.ed25519Tweak(wire);
        this.tag = SshKeys.tag(wire);
        this.recipient = SshKeys.ED25519 + " " + java.util.Base64.getEncoder().encodeToString(wire);
        this.source = source;
    }

    @Override
    public String type() {
        return SshKeys.ED25519;
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
        if (!s.type().equals(SshKeys.ED25519) || !s.args().get(0).equals(tag)) {
            return null;
        }
        byte[] share = Base64s.decodeRaw(s.args().get(1)).orElseThrow();  // validated by StanzaRules
        byte[] shared = X25519s.x25519(scalar, share);
        if (shared == null) {
            throw fail("has a low-order share");
        }
        byte[] tweaked = X25519s.x25519(tweak, shared);
        if (tweaked == null) {
            throw fail("has a low-order share");
        }
        byte[] salt = new byte[64];
        System.arraycopy(share, 0, salt, 0, 32);
        System.arraycopy(montgomeryPublic, 0, salt, 32, 32);
        byte[] wrapKey = Crypto.hkdf(tweaked, salt, SshKeys.ED25519_LABEL, 32);
        byte[] fileKey = Crypto.openZeroNonce(wrapKey, s.body());
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(tweaked, (byte) 0);
        Arrays.fill(wrapKey, (byte) 0);
        if (fileKey == null) {
            throw fail("names our key (" + tag + ") but does not decrypt with it");
        }
        return fileKey;
    }

    private AgeException fail(String what) {
        return new AgeException(Kind.HEADER_INVALID, "invalid age header: ssh-ed25519 stanza " + what);
    }

    @Override
    public String toString() {
        return "ssh-ed25519 identity " + tag + " from " + source;
    }
}
