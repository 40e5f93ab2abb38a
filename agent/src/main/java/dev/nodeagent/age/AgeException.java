package dev.nodeagent.age;

/**
 * A typed age failure, worded for operators. Messages name files and recipient tags, never key bytes, and
 * callers print them without a stack trace.
 */
public final class AgeException extends Exception {

    /** What went wrong; {@link #NO_MATCH} means "this file was not encrypted to any of these identities". */
    public enum Kind {
        NO_MATCH,
        HEADER_INVALID,
        HEADER_MAC_MISMATCH,
        PAYLOAD_CORRUPT,
        ARMOR_INVALID,
        IDENTITY_INVALID,
        RECIPIENT_INVALID,
        IO
    }

    private final Kind kind;

    public AgeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public AgeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
