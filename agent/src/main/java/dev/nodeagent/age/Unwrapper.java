package dev.nodeagent.age;

/** The package-internal half of an identity: try one stanza. */
interface Unwrapper {

    /**
     * The 16-byte file key if this stanza is addressed to us and unwraps; {@code null} if it is not ours.
     * Throws {@link AgeException.Kind#HEADER_INVALID} when the stanza is ours but cannot be unwrapped (a tag
     * match followed by an AEAD/OAEP failure, a low-order share, a file key that is not 16 bytes).
     */
    byte[] unwrap(WireStanza stanza) throws AgeException;
}
