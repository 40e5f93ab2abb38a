package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ReconcilerResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentctl resync [NAME…] [--wait] [--timeout D]}: run reconcilers now, through the daemon's own loop. */
@Command(name = "resync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the named reconcilers now (all when none is named).",
            "The pass runs in the daemon's loop like a scheduled one: recorded in status, metrics and the log.",
            "Without --wait it returns at once; with --wait it prints each outcome and exits 1 if any failed or timed out.",
            "An unknown name exits 2 and lists the valid ones."},
        footerHeading = "%nExamples:%n",
        footer = {"  agentctl resync", "  agentctl resync cert-bundle kubeconfigs --wait --timeout 2m"})
final class ResyncCommand extends DaemonCommand {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Reconciler names as in `agentctl status` (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = {"-w", "--wait"}, description = "Wait for the passes and print their outcomes.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "With --wait: how long to wait for all passes (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    int run() throws ControlClient.UnreachableException, ProtocolException {
        ControlClient.Reply reply = ask(ControlRequest.resync(names, await, timeout.toMillis()),
                await ? timeout.plusSeconds(10) : Duration.ofSeconds(10));
        if (reply == null) {
            return lastExit;
        }
        Terminal term = Terminal.detect(System.getenv());
        boolean failed = false;
        for (ReconcilerResult r : reply.response().results()) {
            if (!await) {
                out().println(r.name() + ": resync requested");
                continue;
            }
            failed |= r.failed();
            out().println(r.name() + ": " + term.state(r.state()) + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")")
                    + (r.changed() ? " [changed]" : "") + (r.message().isEmpty() ? "" : " " + r.message()));
        }
        out().flush();
        return failed ? AgentCtl.FAILED : AgentCtl.OK;
    }
}
