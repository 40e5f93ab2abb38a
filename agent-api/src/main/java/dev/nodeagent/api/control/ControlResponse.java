package dev.nodeagent.api.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nodeagent.api.status.AgentStatus;
import java.util.List;

/**
 * One response frame. {@code ok=false} carries an {@code error} token (one of the {@code ERR_*} constants in
 * {@link ControlProtocol}) and a one-sentence {@code message}; {@code validNames} accompanies
 * {@code UnknownReconciler}. Exactly one payload field is set on success, by op: {@code status},
 * {@code results} (resync, check) or {@code version}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlResponse(
        int v,
        boolean ok,
        String error,
        String message,
        List<String> validNames,
        AgentStatus status,
        List<ReconcilerResult> results,
        DaemonVersion version) {

    public static ControlResponse error(String error, String message) {
        return new ControlResponse(ControlProtocol.VERSION, false, error, message, null, null, null, null);
    }

    public static ControlResponse unknownNames(String message, List<String> validNames) {
        return new ControlResponse(ControlProtocol.VERSION, false, ControlProtocol.ERR_UNKNOWN_RECONCILER, message,
                List.copyOf(validNames), null, null, null);
    }

    public static ControlResponse ofStatus(AgentStatus status) {
        return new ControlResponse(ControlProtocol.VERSION, true, null, null, null, status, null, null);
    }

    public static ControlResponse ofResults(List<ReconcilerResult> results) {
        return new ControlResponse(ControlProtocol.VERSION, true, null, null, null, null, List.copyOf(results), null);
    }

    public static ControlResponse ofVersion(DaemonVersion version) {
        return new ControlResponse(ControlProtocol.VERSION, true, null, null, null, null, null, version);
    }
}
