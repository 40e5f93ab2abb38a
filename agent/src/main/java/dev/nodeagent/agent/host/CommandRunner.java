package dev.nodeagent.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program ({@code ip}, {@code sysctl}, a hook) with a timeout, capturing its output. A program
 * still running at the timeout is killed (its whole process tree).
 */
public class CommandRunner {

    /** Cap on captured output per stream, so a chatty hook cannot fill the heap. */
    static final int MAX_OUTPUT = 64 * 1024;

    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    public Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, Map.of(), timeout);
    }

    /** As {@link #run(List, Duration)}, with {@code env} added to (or overriding) the agent's environment. */
    public Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        // stdin from /dev/null: Redirect.DISCARD is an output redirect and throws when used for input.
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(2, TimeUnit.SECONDS);
        }
        return new Result(finished ? p.exitValue() : -1, out.join(), err.join(), !finished);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                byte[] all = in.readNBytes(MAX_OUTPUT);
                in.transferTo(java.io.OutputStream.nullOutputStream()); // discard the rest
                return new String(all, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
