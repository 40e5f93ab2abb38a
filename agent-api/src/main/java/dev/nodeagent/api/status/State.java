package dev.nodeagent.api.status;

import com.fasterxml.jackson.annotation.JsonValue;

/** State of one reconciler as of its last pass; {@link #PENDING} before the first pass. */
public enum State {
    OK("ok"),
    WAITING("waiting"),
    FAILED("failed"),
    PENDING("pending");

    private final String wire;

    State(String wire) {
        this.wire = wire;
    }

    /** The lower-case token used in JSON, metrics and tables. */
    @JsonValue
    public String wire() {
        return wire;
    }
}
