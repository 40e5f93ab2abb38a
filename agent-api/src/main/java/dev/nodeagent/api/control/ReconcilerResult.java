package dev.nodeagent.api.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nodeagent.api.status.Check;
import java.time.Instant;
import java.util.List;

/**
 * What a forced pass of one reconciler did, for {@code resync --wait} and {@code check}. {@code state} is the
 * wire word of the outcome ({@code ok}, {@code waiting}, {@code failed}), or {@code requested} when the client
 * did not wait, or {@code timeout} when the pass did not finish within the request's timeout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcilerResult(
        String name,
        String state,
        String reason,
        String message,
        boolean changed,
        Instant lastRunAt,
        List<Check> checks) {

    public static final String REQUESTED = "requested";
    public static final String TIMEOUT = "timeout";

    public ReconcilerResult {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** True when this result should make the command exit non-zero: a failed pass, a failed check, or a timeout. */
    public boolean failed() {
        return "failed".equals(state) || TIMEOUT.equals(state)
                || checks.stream().anyMatch(c -> "fail".equals(c.result()));
    }
}
