package dev.nodeagent.api.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One request frame. {@code v} is the protocol version the client speaks ({@link ControlProtocol#VERSION});
 * {@code op} one of {@link ControlProtocol#OPS}. {@code names}, {@code await} and {@code timeoutMillis} matter for
 * {@code resync} (names empty = all) and {@code check} (timeout only).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ControlRequest(int v, String op, List<String> names, boolean await, long timeoutMillis) {

    public ControlRequest {
        names = names == null ? List.of() : List.copyOf(names);
    }

    public static ControlRequest of(String op) {
        return new ControlRequest(ControlProtocol.VERSION, op, List.of(), false, 0);
    }

    public static ControlRequest resync(List<String> names, boolean await, long timeoutMillis) {
        return new ControlRequest(ControlProtocol.VERSION, ControlProtocol.OP_RESYNC, names, await, timeoutMillis);
    }

    public static ControlRequest check(long timeoutMillis) {
        return new ControlRequest(ControlProtocol.VERSION, ControlProtocol.OP_CHECK, List.of(), true, timeoutMillis);
    }
}
