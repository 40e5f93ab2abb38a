package dev.nodeagent.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How a private key is written: PKCS#8 {@code PRIVATE KEY} (openssl 3, our default), PKCS#1 {@code RSA PRIVATE KEY}
 * (cfssl, {@code openssl genrsa -traditional}) or SEC1 {@code EC PRIVATE KEY} (cfssl's and openssl's EC keys).
 * Renew writes a new key in the format of the key it replaces: consumers and scripts expect the header they had.
 */
public enum KeyFormat {
    PKCS8("PRIVATE KEY"), PKCS1("RSA PRIVATE KEY"), SEC1("EC PRIVATE KEY");

    private final String pemType;

    KeyFormat(String pemType) {
        this.pemType = pemType;
    }

    /** The PEM type, e.g. {@code RSA PRIVATE KEY}. */
    public String pemType() {
        return pemType;
    }

    /** The format of the first private key in {@code pem} (an {@code EC PARAMETERS} block before it is skipped). */
    public static Optional<KeyFormat> of(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int at = 0;
        while ((at = text.indexOf("-----BEGIN ", at)) >= 0) {
            int end = text.indexOf("-----", at + 11);
            if (end < 0) {
                break;
            }
            String type = text.substring(at + 11, end);
            for (KeyFormat f : values()) {
                if (f.pemType.equals(type)) {
                    return Optional.of(f);
                }
            }
            at = end;
        }
        return Optional.empty();
    }

    /** {@code pkcs8}, {@code pkcs1}, {@code sec1} as hosts.yaml spells them. */
    public static Optional<KeyFormat> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a key of {@code algorithm} ("RSA", "EC", ...) can be written in this format. */
    public boolean fits(String algorithm) {
        return switch (this) {
            case PKCS8 -> true;
            case PKCS1 -> algorithm.equals("RSA");
            case SEC1 -> algorithm.equals("EC");
        };
    }
}
