package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.util.List;

/**
 * Strict validation of the stanza types we know, applied to every stanza of those types in the header (also those
 * addressed to other keys, as Go age does for ssh-ed25519), before any identity is tried. Unknown types ("grease")
 * pass. An {@code scrypt} stanza must be the only stanza.
 */
final class StanzaRules {

    private StanzaRules() {
    }

    static void validate(List<WireStanza> stanzas) throws AgeException {
        for (WireStanza s : stanzas) {
            switch (s.type()) {
                case X25519Identity.TYPE -> {
                    args(s, 1);
                    share(s, s.args().get(0));
                    body32(s);
                }
                case SshKeys.ED25519 -> {
                    args(s, 2);
                    share(s, s.args().get(1));
                    body32(s);
                }
                case SshKeys.RSA -> args(s, 1);
                case "scrypt" -> {
                    if (stanzas.size() != 1) {
                        throw invalid("an scrypt stanza must be the only stanza in the file");
                    }
                }
                default -> {
                    // unknown types are ignored (grease)
                }
            }
        }
    }

    private static void args(WireStanza s, int n) throws AgeException {
        if (s.args().size() != n) {
            throw invalid(s.type() + " stanza has " + s.args().size() + " arguments, expected " + n);
        }
    }

    private static void share(WireStanza s, String arg) throws AgeException {
        byte[] share = Base64s.decodeRaw(arg).orElseThrow(
                () -> invalid(s.type() + " stanza share is not canonical base64"));
        if (share.length != 32) {
            throw invalid(s.type() + " stanza share is " + share.length + " bytes, expected 32");
        }
    }

    /** The wrapped file key must be exactly 16 bytes + tag: checked before decrypting (partitioning oracles). */
    private static void body32(WireStanza s) throws AgeException {
        if (s.body().length != 32) {
            throw invalid(s.type() + " stanza body is " + s.body().length + " bytes, expected 32");
        }
    }

    private static AgeException invalid(String message) {
        return new AgeException(Kind.HEADER_INVALID, "invalid age header: " + message);
    }
}
