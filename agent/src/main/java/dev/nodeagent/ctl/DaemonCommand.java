package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands that ask the running daemon: {@code --socket}, one place that turns "could not ask"
 * into exit 3 with a hint and a daemon-side error into exit 1 (2 for an unknown reconciler name).
 */
abstract class DaemonCommand implements Callable<Integer> {

    @Mixin
    SocketOption socket;

    @Spec
    CommandSpec spec;

    abstract int run() throws ControlClient.UnreachableException, ProtocolException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ControlClient.UnreachableException e) {
            err().println("agentctl: " + e.getMessage());
            return AgentCtl.UNREACHABLE;
        } catch (ProtocolException e) {
            err().println("agentctl: the daemon's answer was not understood: " + e.getMessage());
            return AgentCtl.FAILED;
        }
    }

    /** Sends the request; a daemon-side error is printed and returned as {@code null} with {@link #lastExit} set. */
    ControlClient.Reply ask(ControlRequest request, Duration timeout)
            throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = socket.client().call(request, timeout);
        ControlResponse r = reply.response();
        if (!r.ok()) {
            err().println("agentctl: " + r.message() + " (" + r.error() + ")");
            lastExit = ControlProtocol.ERR_UNKNOWN_RECONCILER.equals(r.error()) ? AgentCtl.USAGE : AgentCtl.FAILED;
            return null;
        }
        return reply;
    }

    int lastExit = AgentCtl.OK;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
