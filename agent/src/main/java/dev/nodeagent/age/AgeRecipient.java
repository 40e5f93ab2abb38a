package dev.nodeagent.age;

import java.util.Optional;

/**
 * A public key age can encrypt to: {@code ssh-ed25519}, {@code ssh-rsa} (≥ 2048 bits) or {@code X25519}
 * ({@code age1…}). Obtain instances from {@link Recipients}.
 */
public sealed interface AgeRecipient permits X25519Recipient, SshEd25519Recipient, SshRsaRecipient {

    /** {@code "ssh-ed25519"}, {@code "ssh-rsa"} or {@code "X25519"}. */
    String type();

    /** The SSH key tag stanzas to this recipient carry; empty for X25519. */
    Optional<String> sshTag();
}
