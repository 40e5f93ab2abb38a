package dev.nodeagent.age;

import java.util.List;

/**
 * A recipient stanza as listed in an age header: its type (e.g. {@code ssh-ed25519}, {@code X25519}) and its
 * arguments (for SSH types the first argument is the key tag). The body is deliberately not exposed: it is
 * wrapped key material and has no diagnostic value.
 */
public record Stanza(String type, List<String> args) {

    public Stanza {
        args = List.copyOf(args);
    }

    /** The SSH key tag (first argument) for {@code ssh-ed25519} / {@code ssh-rsa} stanzas, else empty. */
    public java.util.Optional<String> sshTag() {
        boolean ssh = type.equals(SshKeys.ED25519) || type.equals(SshKeys.RSA);
        return ssh && !args.isEmpty() ? java.util.Optional.of(args.get(0)) : java.util.Optional.empty();
    }

    /** The stanza types this agent knows; any other type is grease (rage writes e.g. {@code x-grease}) or a plugin's. */
    static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of(X25519Identity.TYPE, SshKeys.ED25519, SshKeys.RSA,
            "scrypt");

    /**
     * Whether this is a stanza type the agent knows ({@code X25519}, {@code ssh-ed25519}, {@code ssh-rsa},
     * {@code scrypt}). rage adds one random stanza to every file it writes ({@code @S-grease}, {@code x-grease}...):
     * listing those as recipients in "not encrypted to this host" messages sends operators looking for a key that
     * does not exist, so messages list only known types.
     */
    public boolean known() {
        return KNOWN_TYPES.contains(type);
    }

    /** {@code type} or {@code type tag}, for operator messages. */
    public String describe() {
        return sshTag().map(t -> type + " " + t).orElse(type);
    }
}
