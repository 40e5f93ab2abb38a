package dev.nodeagent.bundle;

/**
 * A bundle that cannot be read, decrypted or written. {@link #reason()} is a CamelCase token for machines
 * (e.g. {@code NotEncryptedToHost}, {@code CaMissing}), {@link #file()} the file concerned (may be null), and the
 * message one sentence for people. Messages never contain key material.
 */
public final class BundleException extends Exception {

    private final String reason;
    private final String file;

    public BundleException(String reason, String file, String message) {
        super(message);
        this.reason = reason;
        this.file = file;
    }

    public BundleException(String reason, String file, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.file = file;
    }

    /** CamelCase machine token. */
    public String reason() {
        return reason;
    }

    /** The file concerned, or null when none is. */
    public String file() {
        return file;
    }
}
