package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.DaemonVersion;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code agentctl version}: the client's version, then the daemon's (exit 3 if the daemon cannot be asked). */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Print agentctl's version and the running daemon's (version, Java, protocol, pid).",
            "The client line is printed even when the daemon cannot be reached (then exit 3)."})
final class VersionCommand extends DaemonCommand {

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        out().println("client: agentctl " + AgentCtl.version() + " (Java " + Runtime.version()
                + ", protocol " + ControlProtocol.VERSION + ")");
        out().flush();
        ControlClient.Reply reply = ask(ControlRequest.of(ControlProtocol.OP_VERSION), Duration.ofSeconds(10));
        if (reply == null) {
            return lastExit;
        }
        DaemonVersion v = reply.response().version();
        out().println("daemon: node-agent " + v.version() + " (Java " + v.java() + ", protocol " + v.protocol()
                + ", pid " + v.pid() + ", node " + v.node() + ")");
        out().flush();
        return AgentCtl.OK;
    }
}
