package dev.nodeagent.bundle;

/**
 * One check on one cert. {@code ok=false} is a failure (the bundle must not go live); {@code ok=true,
 * warning=true} passed with a warning (e.g. fewer than 30 days left). {@code check} is a stable kebab-case id:
 * {@code parse}, {@code key-matches-cert}, {@code chains-to-ca}, {@code validity}, {@code ca-is-ca},
 * {@code node-name}, {@code key-usage}, {@code key-pair}. {@code cert} is {@code ca} for the CA.
 */
public record CertCheck(String cert, String check, boolean ok, boolean warning, String message) {

    static CertCheck pass(String cert, String check, String message) {
        return new CertCheck(cert, check, true, false, message);
    }

    static CertCheck warn(String cert, String check, String message) {
        return new CertCheck(cert, check, true, true, message);
    }

    static CertCheck fail(String cert, String check, String message) {
        return new CertCheck(cert, check, false, false, message);
    }
}
