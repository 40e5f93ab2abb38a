package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.status.AgentStatus;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentctl status}: the daemon's status as a table, a wide table, JSON (same content as /status) or YAML.
 * The work is in {@link DaemonViews#status} (shared with {@link FastPath}).
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the agent's health and each reconciler's last pass.",
            "The default is a table on a terminal and JSON otherwise, so scripts get a stable format.",
            "JSON is the same document as GET /status."},
        footerHeading = "%nExamples:%n",
        footer = {"  agentctl status", "  agentctl status -o wide",
            "  agentctl status -o json | jq -r '.reconcilers[] | select(.state==\"failed\") | .name'"})
final class StatusCommand extends DaemonCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table, wide, json or yaml (default: table on a terminal, json otherwise).")
    StatusFormat output;

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        return DaemonViews.status(call, output);
    }

    static String render(AgentStatus s, boolean wide, Terminal term, Instant now) {
        return DaemonViews.render(s, wide, term, now);
    }
}
