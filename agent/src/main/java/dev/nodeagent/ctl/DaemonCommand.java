package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands that ask the running daemon: {@code --socket}, one place that turns "could not ask"
 * into exit 3 with a hint and a daemon-side error into exit 1 (2 for an unknown reconciler name), in
 * {@link DaemonCall}, which {@link FastPath} uses without picocli.
 */
abstract class DaemonCommand implements Callable<Integer> {

    @Mixin
    SocketOption socket;

    @Spec
    CommandSpec spec;

    abstract int run() throws ControlClient.UnreachableException, ProtocolException;

    @Override
    public final Integer call() {
        call = new DaemonCall(socket.client(), out(), err());
        return call.run(c -> run());
    }

    /** Sends the request; a daemon-side error is printed and returned as {@code null} with {@link #lastExit} set. */
    ControlClient.Reply ask(ControlRequest request, Duration timeout)
            throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = call.ask(request, timeout);
        lastExit = call.lastExit;
        return reply;
    }

    int lastExit = AgentCtl.OK;

    /** This invocation's conversation with the daemon (set by {@link #call()}). */
    DaemonCall call;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
