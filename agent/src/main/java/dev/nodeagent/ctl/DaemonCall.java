package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * One daemon command's conversation, without picocli (so {@link FastPath} and the picocli commands share it):
 * "could not ask" becomes exit 3 with a hint, a daemon-side error exit 1 (2 for an unknown reconciler name).
 */
final class DaemonCall {

    interface Body {
        int run(DaemonCall call) throws ControlClient.UnreachableException, ProtocolException;
    }

    final ControlClient client;
    final PrintWriter out;
    final PrintWriter err;
    int lastExit = AgentCtl.OK;

    DaemonCall(ControlClient client, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code body}, mapping "could not ask" to exit 3 and an answer we do not understand to exit 1. */
    int run(Body body) {
        try {
            return body.run(this);
        } catch (ControlClient.UnreachableException e) {
            err.println("agentctl: " + e.getMessage());
            return AgentCtl.UNREACHABLE;
        } catch (ProtocolException e) {
            return notUnderstood(e);
        } catch (ControlClient.UndecodableException e) {
            return notUnderstood(e.protocolException());
        }
    }

    private int notUnderstood(ProtocolException e) {
        err.println("agentctl: the daemon's answer was not understood: " + e.getMessage());
        return AgentCtl.FAILED;
    }

    /** Sends the request; a daemon-side error is printed and returned as {@code null} with {@link #lastExit} set. */
    ControlClient.Reply ask(ControlRequest request, Duration timeout)
            throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = client.call(request, timeout);
        if (!reply.ok()) {
            err.println("agentctl: " + reply.message() + " (" + reply.error() + ")");
            lastExit = ControlProtocol.ERR_UNKNOWN_RECONCILER.equals(reply.error()) ? AgentCtl.USAGE : AgentCtl.FAILED;
            return null;
        }
        return reply;
    }
}
