package dev.nodeagent.agent.reconcile;

import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of one pass. {@code reason} is a CamelCase token for machines, {@code message} one sentence for
 * people. {@code checks} and {@code details} are optional extras shown in status; neither may hold secrets.
 */
public record Outcome(State state, boolean changed, String reason, String message, List<Check> checks,
                      Map<String, Object> details) {

    public Outcome {
        Objects.requireNonNull(state, "state");
        if (state == State.PENDING) {
            throw new IllegalArgumentException("a pass cannot end pending");
        }
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        checks = checks == null ? List.of() : List.copyOf(checks);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** The desired state holds; {@code changed} says whether this pass had to change something. */
    public static Outcome ok(boolean changed, String message) {
        return new Outcome(State.OK, changed, changed ? "Reconciled" : "UpToDate", message, List.of(), Map.of());
    }

    /** A precondition is absent (a file not there yet); not an error, and nothing was changed. */
    public static Outcome waiting(String reason, String message) {
        return new Outcome(State.WAITING, false, reason, message, List.of(), Map.of());
    }

    public static Outcome failed(String reason, String message) {
        return new Outcome(State.FAILED, false, reason, message, List.of(), Map.of());
    }

    /**
     * The outcome of a pass that only checks: failed when any FAILURE check failed (reason and message from the
     * first), ok otherwise, with failed warnings summarised in the message.
     */
    public static Outcome fromChecks(List<Check> checks, String okMessage) {
        List<Check> failures = checks.stream().filter(c -> !c.ok() && c.severity() == Severity.FAILURE).toList();
        List<Check> warnings = checks.stream().filter(c -> !c.ok() && c.severity() == Severity.WARNING).toList();
        if (!failures.isEmpty()) {
            Check first = failures.getFirst();
            String more = failures.size() > 1 ? " (+" + (failures.size() - 1) + " more)" : "";
            return new Outcome(State.FAILED, false, reasonOf(first.name()), first.message() + more, checks, Map.of());
        }
        String message = warnings.isEmpty() ? okMessage
                : okMessage + "; warnings: " + warnings.stream().map(Check::message).collect(Collectors.joining("; "));
        return new Outcome(State.OK, false, warnings.isEmpty() ? "UpToDate" : "Warnings", message, checks, Map.of());
    }

    public Outcome withChecks(List<Check> newChecks) {
        return new Outcome(state, changed, reason, message, newChecks, details);
    }

    public Outcome withDetails(Map<String, Object> newDetails) {
        return new Outcome(state, changed, reason, message, checks, newDetails);
    }

    public Outcome withChanged(boolean newChanged) {
        return new Outcome(state, newChanged, state == State.OK && newChanged && reason.equals("UpToDate") ? "Reconciled" : reason,
                message, checks, details);
    }

    /** "tailscale0 MTU" → "Tailscale0MTUFailed": CamelCase of a check name plus "Failed" (also node-condition reasons). */
    public static String reasonOf(String checkName) {
        StringBuilder sb = new StringBuilder();
        for (String part : checkName.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Failed").toString();
    }
}
