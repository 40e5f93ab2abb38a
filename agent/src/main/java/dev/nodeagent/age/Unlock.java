package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Header → payload key, in the spec's order: parse and validate the whole header, try every identity on every
 * stanza (first unwrap wins, a fatal unwrap aborts), verify the header MAC (constant time), read the nonce.
 */
final class Unlock {

    private Unlock() {
    }

    /** Reads header and nonce from {@code in}; returns the payload key, {@code in} positioned at the payload. */
    static byte[] payloadKey(InputStream in, List<AgeIdentity> identities) throws AgeException, IOException {
        Header header = HeaderReader.read(in);
        StanzaRules.validate(header.stanzas());
        byte[] fileKey = fileKey(header, identities);
        try {
            byte[] hmacKey = Crypto.hkdf(fileKey, new byte[0], "header", 32);
            byte[] mac = Crypto.hmacSha256(hmacKey, header.macInput(), 0, header.macInput().length);
            Arrays.fill(hmacKey, (byte) 0);
            if (!MessageDigest.isEqual(mac, header.mac())) {
                throw new AgeException(Kind.HEADER_MAC_MISMATCH,
                        "age header MAC mismatch: the header was modified or the file is corrupt");
            }
            byte[] nonce = in.readNBytes(16);
            if (nonce.length != 16) {
                throw new AgeException(Kind.HEADER_INVALID, "invalid age file: the payload nonce is missing or short");
            }
            return PayloadStream.payloadKey(fileKey, nonce);
        } finally {
            Arrays.fill(fileKey, (byte) 0);
        }
    }

    private static byte[] fileKey(Header header, List<AgeIdentity> identities) throws AgeException {
        for (WireStanza s : header.stanzas()) {
            for (AgeIdentity id : identities) {
                byte[] key = ((Unwrapper) id).unwrap(s);
                if (key != null) {
                    if (key.length != 16) {
                        Arrays.fill(key, (byte) 0);
                        throw new AgeException(Kind.HEADER_INVALID, "invalid age header: " + s.type()
                                + " stanza wraps a file key that is not 16 bytes");
                    }
                    return key;
                }
            }
        }
        throw noMatch(header.stanzas(), identities);
    }

    /** "This file was not encrypted to this host": the file's recipients (type + tag) next to ours. */
    static AgeException noMatch(List<WireStanza> stanzas, List<AgeIdentity> identities) {
        // Bounded: a hostile header may hold thousands of (long) grease stanzas.
        // Stanzas of types the agent does not know (rage's grease, plugins') are left out: they name no key.
        List<Stanza> known = stanzas.stream().map(WireStanza::toStanza).filter(Stanza::known).toList();
        List<String> theirs = new ArrayList<>();
        for (Stanza s : known) {
            if (theirs.size() == 20) {
                theirs.add("and " + (known.size() - 20) + " more");
                break;
            }
            String d = s.describe();
            theirs.add(d.length() > 48 ? d.substring(0, 45) + "..." : d);
        }
        if (theirs.isEmpty()) {
            theirs.add("no recipient type this agent knows");
        }
        String ours = identities.isEmpty() ? "none" : identities.stream()
                .map(id -> id.sshTag().map(t -> id.type() + " " + t).orElse(id.type()) + " (" + id.source() + ")")
                .collect(Collectors.joining(", "));
        String hint = theirs.contains("scrypt") ? " (passphrase-encrypted files are not supported)" : "";
        return new AgeException(Kind.NO_MATCH, "no identity matches: the file is encrypted to "
                + String.join(", ", theirs) + hint + "; tried " + ours);
    }
}
