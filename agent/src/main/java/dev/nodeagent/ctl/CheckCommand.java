package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ReconcilerResult;
import dev.nodeagent.api.status.Check;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentctl check}: run every reconciler now and print a talosctl-health-style report. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run every reconciler now and report each one and its checks (name, result, message).",
            "Exit 0 when nothing failed (waiting and warnings are not failures), 1 otherwise."},
        footerHeading = "%nExample output:%n",
        footer = {"  running 2 reconcilers on node1 now",
            "  cni-ipam-link: OK calico-ipam -> calico",
            "  cert-bundle: FAILED (NotEncryptedToHost) the bundle is not encrypted to this host's SSH key",
            "      kubelet.crt chains to ca.crt: ok",
            "  1/2 ok"})
final class CheckCommand extends DaemonCommand {

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for all passes (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = ask(ControlRequest.check(timeout.toMillis()), timeout.plusSeconds(10));
        if (reply == null) {
            return lastExit;
        }
        Terminal term = Terminal.detect(System.getenv());
        List<ReconcilerResult> results = reply.response().results();
        out().println("running " + results.size() + " reconciler" + (results.size() == 1 ? "" : "s") + " now");
        int ok = 0;
        boolean failed = false;
        for (ReconcilerResult r : results) {
            failed |= r.failed();
            ok += "ok".equals(r.state()) && !r.failed() ? 1 : 0;
            String word = r.failed() && "ok".equals(r.state()) ? "failed" : r.state();
            out().println(r.name() + ": " + term.state(word.toUpperCase(Locale.ROOT))
                    + (r.reason().isEmpty() || "ok".equals(r.state()) ? "" : " (" + r.reason() + ")")
                    + (r.message().isEmpty() ? "" : " " + r.message()));
            for (Check c : r.checks()) {
                out().println("    " + c.name() + ": " + term.state(c.result()) + (c.message().isEmpty() ? "" : " " + c.message()));
            }
        }
        out().println(ok + "/" + results.size() + " ok");
        out().flush();
        return failed ? AgentCtl.FAILED : AgentCtl.OK;
    }
}
