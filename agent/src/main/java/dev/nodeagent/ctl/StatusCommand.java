package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code agentctl status}: the daemon's status as a table, a wide table, JSON (same content as /status) or YAML. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the agent's health and each reconciler's last pass.",
            "The default is a table on a terminal and JSON otherwise, so scripts get a stable format.",
            "JSON is the same document as GET /status."},
        footerHeading = "%nExamples:%n",
        footer = {"  agentctl status", "  agentctl status -o wide",
            "  agentctl status -o json | jq -r '.reconcilers[] | select(.state==\"failed\") | .name'"})
final class StatusCommand extends DaemonCommand {

    enum Output { table, wide, json, yaml }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table, wide, json or yaml (default: table on a terminal, json otherwise).")
    Output output;

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = ask(ControlRequest.of(ControlProtocol.OP_STATUS), Duration.ofSeconds(10));
        if (reply == null) {
            return lastExit;
        }
        Terminal term = Terminal.detect(System.getenv());
        Output o = output != null ? output : term.tty() ? Output.table : Output.json;
        // json/yaml print the daemon's own document, untouched by our records (so new fields pass through).
        JsonNode doc = ApiJson.mapper().readTree(reply.raw()).get("status");
        switch (o) {
            case json -> out().println(ApiJson.writePretty(doc));
            case yaml -> out().print(new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
                    .dumpToString(ApiJson.mapper().convertValue(doc, Map.class)));
            default -> out().print(render(reply.response().status(), o == Output.wide, term, Instant.now()));
        }
        out().flush();
        return AgentCtl.OK;
    }

    static String render(AgentStatus s, boolean wide, Terminal term, Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append("node ").append(term.bold(s.node())).append("  role ").append(s.role())
                .append("  version ").append(s.version())
                .append("  health ").append(term.state(s.health().name()))
                .append("  up ").append(Ages.since(s.startedAt(), now)).append("\n\n");
        Table t = wide
                ? new Table("NAME", "STATE", "REASON", "LAST RUN", "LAST OK", "SINCE", "FAILS", "TOOK", "CHECKS", "MESSAGE")
                : new Table("NAME", "STATE", "REASON", "LAST RUN", "MESSAGE");
        t.colour(1, term::state);
        for (ReconcilerStatus r : s.reconcilers()) {
            if (wide) {
                t.row(r.name(), r.state().wire(), r.reason(), Ages.since(r.lastRunAt(), now),
                        Ages.since(r.lastSuccessAt(), now), Ages.since(r.lastTransitionAt(), now),
                        Integer.toString(r.consecutiveFailures()), String.format("%.0fms", r.durationSeconds() * 1000),
                        checks(r), r.message());
            } else {
                t.row(r.name(), r.state().wire(), r.reason(), Ages.since(r.lastRunAt(), now), r.message());
            }
        }
        return sb.append(t.render()).toString();
    }

    private static String checks(ReconcilerStatus r) {
        if (r.checks().isEmpty()) {
            return "-";
        }
        long ok = r.checks().stream().filter(Check::ok).count();
        return ok + "/" + r.checks().size();
    }
}
