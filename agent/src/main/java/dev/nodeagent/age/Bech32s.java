package dev.nodeagent.age;

import com.exceptionfactory.jagged.bech32.Bech32;
import com.exceptionfactory.jagged.bech32.Bech32Address;
import java.util.Optional;

/** Bech32 age keys (via jagged's Bech32 codec): {@code AGE-SECRET-KEY-1…} identities and {@code age1…} recipients. */
final class Bech32s {

    static final String IDENTITY_HRP = "age-secret-key-";
    static final String RECIPIENT_HRP = "age";

    private Bech32s() {
    }

    /** The 32 data bytes if {@code text} is a valid Bech32 string with this human-readable part, else empty. */
    static Optional<byte[]> decode(String text, String hrp) {
        try {
            Bech32Address address = Bech32.getDecoder().decode(text);
            if (!address.getHumanReadablePart().toString().equalsIgnoreCase(hrp) || address.getData().length != 32) {
                return Optional.empty();
            }
            return Optional.of(address.getData());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static String encodeRecipient(byte[] publicKey) {
        return Bech32.getEncoder().encode(RECIPIENT_HRP, publicKey).toString();
    }

    static String encodeIdentity(byte[] secret) {
        return Bech32.getEncoder().encode(IDENTITY_HRP, secret).toString().toUpperCase(java.util.Locale.ROOT);
    }
}
