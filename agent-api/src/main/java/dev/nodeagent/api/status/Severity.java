package dev.nodeagent.api.status;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much a failed check matters: a failure fails its reconciler, a warning is only reported. */
public enum Severity {
    FAILURE("failure"),
    WARNING("warning");

    private final String wire;

    Severity(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
