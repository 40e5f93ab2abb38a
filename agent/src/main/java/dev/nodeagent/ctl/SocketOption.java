package dev.nodeagent.ctl;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --socket PATH}, shared by every subcommand that talks to the daemon. */
public final class SocketOption {

    public static final String DEFAULT = "/run/node-agent/control.sock";

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:NODE_AGENT_SOCKET:-" + DEFAULT + "}",
            description = "The daemon's control socket (default: $NODE_AGENT_SOCKET, else " + DEFAULT + ").")
    Path socket;

    public ControlClient client() {
        return new ControlClient(socket);
    }
}
