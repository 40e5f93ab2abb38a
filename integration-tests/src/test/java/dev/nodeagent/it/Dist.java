package dev.nodeagent.it;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The built distribution and small helpers to drive it: launch its binaries, wait, talk HTTP. */
public final class Dist {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Dist() {
    }

    public static Path home() {
        Path p = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent")).toAbsolutePath().normalize();
        if (!Files.isExecutable(p.resolve("bin/node-agent"))) {
            throw new IllegalStateException("no distribution at " + p + "; run ./mvnw package first");
        }
        return p;
    }

    public static Path repo() {
        return Path.of(System.getProperty("nodeagent.repo", "..")).toAbsolutePath().normalize();
    }

    public static Path bin(String name) {
        return home().resolve("bin").resolve(name);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts a distribution binary with output going to {@code log}. */
    public static Process start(Path log, Map<String, String> env, String binary, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin(binary).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs a binary to completion (at most {@code timeout}) and returns exit code and combined output. */
    public static Result run(Duration timeout, String binary, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin(binary).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout);
        }
        return new Result(p.exitValue(), new String(out));
    }

    public record Result(int exitCode, String output) {
    }

    public static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the condition holds; false if it did not within the timeout. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Waits for an HTTP 200 on {@code url}. */
    public static boolean awaitOk(Duration timeout, String url) throws InterruptedException {
        return await(timeout, () -> {
            try {
                return get(url).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** True when {@code tool} is on PATH. */
    public static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
