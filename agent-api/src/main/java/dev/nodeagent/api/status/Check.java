package dev.nodeagent.api.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One named check inside a reconciler pass ("tailscale0 MTU", "kubelet cert chains to CA"), with a one-line
 * message for people. {@code ok=false} with severity WARNING is a warning, with FAILURE a failure.
 */
public record Check(String name, Severity severity, boolean ok, String message) {

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        message = message == null ? "" : message;
    }

    public static Check pass(String name, String message) {
        return new Check(name, Severity.FAILURE, true, message);
    }

    public static Check fail(String name, String message) {
        return new Check(name, Severity.FAILURE, false, message);
    }

    public static Check warnIfNot(boolean ok, String name, String message) {
        return new Check(name, Severity.WARNING, ok, message);
    }

    public static Check failIfNot(boolean ok, String name, String message) {
        return new Check(name, Severity.FAILURE, ok, message);
    }

    /** {@code ok}, {@code warn} or {@code fail}: the word a table shows. */
    @JsonProperty("result")
    public String result() {
        if (ok) {
            return "ok";
        }
        return severity == Severity.WARNING ? "warn" : "fail";
    }
}
