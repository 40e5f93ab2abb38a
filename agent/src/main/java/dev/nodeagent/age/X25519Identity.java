package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.util.Arrays;
import java.util.Optional;

/** Native age X25519 identity. Also used for the ssh-to-age derivation of Ed25519 host keys, if ever wanted. */
final class X25519Identity implements AgeIdentity, Unwrapper {

    static final String TYPE = "X25519";
    static final String LABEL = "age-encryption.org/v1/X25519";

    private final byte[] secret;
    private final byte[] publicKey;
    private final String source;

    X25519Identity(byte[] secret, String source) {
        this.secret = secret.clone();
        this.source = source;
        this.publicKey = X25519s.publicKey(this.secret);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Optional<String> sshTag() {
        return Optional.empty();
    }

    @Override
    public String recipient() {
        return Bech32s.encodeRecipient(publicKey);
    }

    @Override
    public byte[] unwrap(WireStanza s) throws AgeException {
        if (!s.type().equals(TYPE)) {
            return null;
        }
        byte[] share = Base64s.decodeRaw(s.args().get(0)).orElseThrow();  // validated by StanzaRules
        byte[] shared = X25519s.x25519(secret, share);
        if (shared == null) {
            throw new AgeException(Kind.HEADER_INVALID, "invalid age header: X25519 stanza has a low-order share");
        }
        byte[] salt = new byte[64];
        System.arraycopy(share, 0, salt, 0, 32);
        System.arraycopy(publicKey, 0, salt, 32, 32);
        byte[] wrapKey = Crypto.hkdf(shared, salt, LABEL, 32);
        byte[] fileKey = Crypto.openZeroNonce(wrapKey, s.body());
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(wrapKey, (byte) 0);
        return fileKey;  // an AEAD failure means "not ours" for X25519 (no tag to tell)
    }

    @Override
    public String toString() {
        return "X25519 identity " + recipient() + " from " + source;
    }
}
