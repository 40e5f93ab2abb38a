package dev.nodeagent.age;

import java.util.Base64;
import java.util.Optional;

/**
 * Canonical base64 as age requires it. {@link Base64#getDecoder()} is lenient (missing padding, non-zero unused
 * bits), so every decode is checked by re-encoding and comparing.
 */
final class Base64s {

    private static final Base64.Encoder RAW = Base64.getEncoder().withoutPadding();
    private static final Base64.Encoder PADDED = Base64.getEncoder();

    private Base64s() {
    }

    static String raw(byte[] bytes) {
        return RAW.encodeToString(bytes);
    }

    static String padded(byte[] bytes) {
        return PADDED.encodeToString(bytes);
    }

    /** Decodes canonical unpadded standard base64, or empty if the text is not exactly that. */
    static Optional<byte[]> decodeRaw(String text) {
        if (text.length() % 4 == 1) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isBase64Char(text.charAt(i))) {
                return Optional.empty();
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return RAW.encodeToString(decoded).equals(text) ? Optional.of(decoded) : Optional.empty();
    }

    /** Decodes canonical padded standard base64 (armor), or empty. */
    static Optional<byte[]> decodePadded(String text) {
        if (text.length() % 4 != 0) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return PADDED.encodeToString(decoded).equals(text) ? Optional.of(decoded) : Optional.empty();
    }

    static boolean isBase64Char(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
