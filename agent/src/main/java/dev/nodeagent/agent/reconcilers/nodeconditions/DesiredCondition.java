package dev.nodeagent.agent.reconcilers.nodeconditions;

import java.util.Objects;

/**
 * One condition as the agent wants it: {@code status} is {@code True}, {@code False} or {@code Unknown};
 * {@code reason} a CamelCase token; {@code message} one sentence. Timestamps are added when it is written.
 */
public record DesiredCondition(String type, String status, String reason, String message) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public DesiredCondition {
        Objects.requireNonNull(type, "type");
        if (!status.equals(TRUE) && !status.equals(FALSE) && !status.equals(UNKNOWN)) {
            throw new IllegalArgumentException("bad condition status " + status);
        }
        reason = reason == null || reason.isBlank() ? "Unspecified" : reason;
        message = sentence(message);
    }

    /** Messages come from other reconcilers: keep them to one bounded line. */
    static String sentence(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        if (one.length() > 280) {
            one = one.substring(0, 277) + "...";
        }
        return one;
    }
}
