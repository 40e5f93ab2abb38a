package dev.nodeagent.it.certbundle;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real distribution's {@code node-agent run} on a sandbox host root, its output in a log file. Every log file,
 * {@code /status} body and {@code /metrics} scrape it produces is kept in {@link #transcript} for the leak check.
 */
final class AgentProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path config;
    private final Path log;
    private final int port;
    private final List<String> transcript;
    private Process process;

    AgentProcess(Path config, Path log, int port, List<String> transcript) {
        this.config = config;
        this.log = log;
        this.port = port;
        this.transcript = transcript;
    }

    static Path dist() {
        Path d = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent"));
        if (!Files.isExecutable(d.resolve("bin/node-agent"))) {
            throw new IllegalStateException("no distribution at " + d + " (run ./mvnw -B -q -DskipTests package)");
        }
        return d;
    }

    static Path repo() {
        return Path.of(System.getProperty("nodeagent.repo", ".."));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    AgentProcess start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(dist().resolve("bin/node-agent").toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("JOURNAL_STREAM");
        process = pb.start();
        return this;
    }

    /** SIGKILL, no chance to clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        synchronized (transcript) {
            transcript.add(r.body());
        }
        return r.body();
    }

    ReconcilerStatus certBundle() throws IOException, InterruptedException {
        AgentStatus s = ApiJson.read(get("/status"), AgentStatus.class);
        return s.reconcilers().stream().filter(r -> r.name().equals("cert-bundle")).findFirst().orElseThrow();
    }

    /** Polls /status until the cert-bundle status matches, or fails with the last status seen and the log. */
    ReconcilerStatus awaitCertBundle(String what, Predicate<ReconcilerStatus> p, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        ReconcilerStatus last = null;
        Exception lastError = null;
        while (System.nanoTime() < end) {
            if (!alive()) {
                throw new AssertionError("agent exited: " + Files.readString(log));
            }
            try {
                last = certBundle();
                if (p.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e; // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; last cert-bundle status: "
                + (last == null ? lastError : last.state() + " " + last.reason() + ": " + last.message()));
    }

    double metric(String line) throws IOException, InterruptedException {
        for (String l : get("/metrics").split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (Files.exists(log)) {
            synchronized (transcript) {
                transcript.add(Files.readString(log));
            }
        }
    }

    static List<String> newTranscript() {
        return new ArrayList<>();
    }
}
