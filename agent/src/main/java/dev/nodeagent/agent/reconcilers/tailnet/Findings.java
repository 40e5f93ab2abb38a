package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import java.util.ArrayList;
import java.util.List;

/** The checks of one pass, each with the CamelCase reason the outcome takes when it is the first failure. */
final class Findings {

    private final List<Check> checks = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();

    void add(Check check, String reasonIfFailed) {
        checks.add(check);
        reasons.add(reasonIfFailed);
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    String firstFailureReason() {
        for (int i = 0; i < checks.size(); i++) {
            if (!checks.get(i).ok() && checks.get(i).severity() == Severity.FAILURE) {
                return reasons.get(i);
            }
        }
        return "UpToDate";
    }
}
