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

    /** {@code type} or {@code type tag}, for operator messages. */
    public String describe() {
        return sshTag().map(t -> type + " " + t).orElse(type);
    }
}
