package dev.nodeagent.age;

import java.util.Optional;

/**
 * A private key that can unwrap age file keys: {@code ssh-ed25519}, {@code ssh-rsa} (from OpenSSH or PEM private
 * keys) or native {@code X25519} ({@code AGE-SECRET-KEY-1…}). Obtain instances from {@link Identities}.
 * {@code toString()} never shows key material.
 */
public sealed interface AgeIdentity permits X25519Identity, SshEd25519Identity, SshRsaIdentity {

    /** {@code "ssh-ed25519"}, {@code "ssh-rsa"} or {@code "X25519"} (the stanza type it unwraps). */
    String type();

    /** Where it came from (a file path, or a caller-supplied label), for messages. */
    String source();

    /** The SSH key tag its stanzas carry (base64 of the first 4 bytes of SHA-256 of the public key blob). */
    Optional<String> sshTag();

    /** The public key as a recipient string (authorized_keys line or {@code age1…}), e.g. to re-encrypt. */
    String recipient();
}
