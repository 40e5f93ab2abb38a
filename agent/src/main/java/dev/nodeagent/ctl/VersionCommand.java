package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import picocli.CommandLine.Command;

/** {@code agentctl version}: the client's version, then the daemon's (exit 3 if the daemon cannot be asked). */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Print agentctl's version and the running daemon's (version, Java, protocol, pid).",
            "The client line is printed even when the daemon cannot be reached (then exit 3)."})
final class VersionCommand extends DaemonCommand {

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        return DaemonViews.version(call);
    }
}
