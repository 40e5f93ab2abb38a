package dev.nodeagent.it.sandbox;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.it.Dist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged daemon under a {@link UnitSandbox}: started with its output in {@code log}, read over HTTP
 * ({@code /status}; the network is shared with the host, loopback only), stopped with SIGTERM to the JVM.
 */
final class SandboxedAgent implements AutoCloseable {

    static final String READ_ONLY = "Read-only file system";

    private final Process bwrap;
    private final Path log;
    private final int port;
    private final List<String> plan;
    private String lastBody = "";

    private SandboxedAgent(Process bwrap, Path log, int port, List<String> plan) {
        this.bwrap = bwrap;
        this.log = log;
        this.port = port;
        this.plan = plan;
    }

    static SandboxedAgent start(UnitSandbox sandbox, Path log, int port) throws IOException {
        List<String> cmd = sandbox.command();
        Files.writeString(log, "# " + String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new SandboxedAgent(p, log, port, sandbox.plan());
    }

    /**
     * Polls {@code /status} until every reconciler in it satisfies {@code settled} (and there is at least one), or
     * fails naming the last status, the sandbox plan and the log.
     */
    AgentStatus awaitAll(String what, Predicate<ReconcilerStatus> settled, Duration timeout) throws Exception {
        return await(what, s -> !s.reconcilers().isEmpty() && s.reconcilers().stream().allMatch(settled), timeout);
    }

    AgentStatus await(String what, Predicate<AgentStatus> done, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        AgentStatus last = null;
        while (System.nanoTime() < end) {
            if (!bwrap.isAlive()) {
                throw new AssertionError("the sandboxed agent exited " + bwrap.exitValue() + "\n" + diagnostics(last));
            }
            try {
                lastBody = Dist.get("http://127.0.0.1:" + port + "/status").body();
                last = ApiJson.read(lastBody, AgentStatus.class);
                if (done.test(last)) {
                    return last;
                }
                // a read-only failure is final (the sandbox does not change): say so now, not after the timeout
                if (last.reconcilers().stream().anyMatch(r -> r.message() != null && r.message().contains(READ_ONLY))) {
                    throw new AssertionError("a reconciler hit the read-only sandbox while waiting for " + what + "\n"
                            + diagnostics(last));
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out (" + timeout + ") waiting for " + what + "\n" + diagnostics(last));
    }

    /** The last /status body read, verbatim (for "no read-only error anywhere" checks). */
    String lastBody() {
        return lastBody;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String diagnostics(AgentStatus last) {
        StringBuilder b = new StringBuilder("sandbox:\n");
        plan.forEach(p -> b.append("  ").append(p).append('\n'));
        if (last != null) {
            b.append("last status:\n");
            for (ReconcilerStatus r : last.reconcilers()) {
                b.append("  ").append(r.name()).append(' ').append(r.state()).append(' ').append(r.reason())
                        .append(": ").append(r.message()).append('\n');
            }
        }
        return b.append("log:\n").append(log()).toString();
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM to the JVM (bwrap does not forward signals); bwrap exits with it
        bwrap.descendants().forEach(ProcessHandle::destroy);
        if (!bwrap.waitFor(20, TimeUnit.SECONDS)) {
            bwrap.descendants().forEach(ProcessHandle::destroyForcibly);
            bwrap.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
