package dev.nodeagent.ctl;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The agentctl AOT-cache training run (used only by {@code bin/aot-cache}, via the launcher's
 * {@code --aot-training} with {@code NODE_AGENT_AOT_OUTPUT} set): one JVM records one cache, so this runs the
 * commands operators use most, in-process and with their output discarded, against the training demo's socket.
 * Then {@code agentctl status} and {@code --help} start with their classes already loaded and linked.
 * Exit status: 0 when every command answered as expected, 1 otherwise (the cache is still written).
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** @param args the running training daemon's control socket */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: AotTraining SOCKET");
            System.exit(AgentCtl.USAGE);
        }
        String sock = args[0];
        List<List<String>> runs = List.of(
                List.of("--help"),
                List.of("--version"),
                List.of("status", "--help"),
                List.of("status", "--socket", sock),
                List.of("status", "-o", "json", "--socket", sock),
                List.of("status", "-o", "table", "--socket", sock),
                List.of("status", "-o", "wide", "--socket", sock),
                List.of("version", "--socket", sock));
        int failed = 0;
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> run : runs) {
            String[] argv = run.toArray(String[]::new);
            CommandLine cl = AgentCtl.commandLine(argv);
            cl.setOut(discard);
            cl.setErr(discard);
            int exit = cl.execute(argv);
            if (exit != AgentCtl.OK) {
                System.err.println("aot training: agentctl " + String.join(" ", run) + " exited " + exit);
                failed++;
            }
        }
        System.exit(failed == 0 ? AgentCtl.OK : AgentCtl.FAILED);
    }
}
