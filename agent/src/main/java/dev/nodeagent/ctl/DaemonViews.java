package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.DaemonVersion;
import dev.nodeagent.api.json.PlainJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import java.time.Duration;
import java.time.Instant;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * What {@code agentctl status} and {@code agentctl version} do once their options are known. No picocli here: the
 * launcher's {@link FastPath} runs these directly, the picocli commands delegate to them.
 */
final class DaemonViews {

    private DaemonViews() {
    }

    /** {@code agentctl status}; {@code format} null means a table on a terminal, JSON otherwise. */
    static int status(DaemonCall c, StatusFormat format) throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = c.ask(ControlRequest.of(ControlProtocol.OP_STATUS), Duration.ofSeconds(10));
        if (reply == null) {
            return c.lastExit;
        }
        Terminal term = Terminal.detect(System.getenv());
        StatusFormat o = format != null ? format : term.tty() ? StatusFormat.table : StatusFormat.json;
        switch (o) {
            // json/yaml print the daemon's own document, untouched by our records (so new fields pass through).
            case json -> c.out.println(PlainJson.writePretty(statusDocument(reply)));
            case yaml -> c.out.print(new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
                    .dumpToString(statusDocument(reply)));
            default -> c.out.print(render(reply.response().status(), o == StatusFormat.wide, term, Instant.now()));
        }
        c.out.flush();
        return AgentCtl.OK;
    }

    /** The daemon's status object as parsed (ordered maps, lists, scalars): both JSON and YAML print it as is. */
    private static Object statusDocument(ControlClient.Reply reply) {
        return reply.tree().get("status");
    }

    /** {@code agentctl version}: the client line first, so it is printed even when the daemon is away. */
    static int version(DaemonCall c) throws ControlClient.UnreachableException, ProtocolException {
        c.out.println("client: agentctl " + AgentCtl.version() + " (Java " + Runtime.version()
                + ", protocol " + ControlProtocol.VERSION + ")");
        c.out.flush();
        ControlClient.Reply reply = c.ask(ControlRequest.of(ControlProtocol.OP_VERSION), Duration.ofSeconds(10));
        if (reply == null) {
            return c.lastExit;
        }
        DaemonVersion v = reply.response().version();
        c.out.println("daemon: node-agent " + v.version() + " (Java " + v.java() + ", protocol " + v.protocol()
                + ", pid " + v.pid() + ", node " + v.node() + ")");
        c.out.flush();
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
