package dev.nodeagent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace created for one test class ({@code ip netns add}), with its own {@code /etc/hosts}
 * ({@code /etc/netns/NAME/hosts}, which {@code ip netns exec} bind-mounts over {@code /etc/hosts}). Everything
 * inside it is private to the test: links, routes, rules, sysctls. {@link #close} deletes both.
 */
final class Netns implements AutoCloseable {

    final String name;
    private final Path etcDir;

    Netns(String name) throws IOException, InterruptedException {
        this.name = name;
        this.etcDir = Path.of("/etc/netns", name);
        run("ip", "netns", "add", name);
        exec("ip", "link", "set", "lo", "up");
    }

    /** Writes the namespace's own /etc/hosts. */
    void hosts(String text) throws IOException {
        Files.createDirectories(etcDir);
        Files.writeString(etcDir.resolve("hosts"), text);
    }

    /** Runs a command inside the namespace; fails the test when it fails. */
    String exec(String... argv) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(argv));
        return run(all.toArray(String[]::new));
    }

    /** The command line that runs {@code argv} inside the namespace. */
    List<String> command(String... argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(argv));
        return all;
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Result r = runResult(List.of(argv), 30);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " → exit " + r.exit + ": " + r.out);
        }
        return r.out;
    }

    record Result(int exit, String out) {
    }

    /** Runs a command, stdout and stderr together, at most {@code seconds}. */
    static Result runResult(List<String> argv, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netns-cmd", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", argv) + " did not finish in " + seconds + "s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            runResult(List.of("ip", "netns", "del", name), 30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (Files.exists(etcDir)) {
                try (Stream<Path> s = Files.walk(etcDir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    static boolean isRoot() {
        try {
            return runResult(List.of("id", "-u"), 10).out.strip().equals("0");
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return false;
        }
    }

    /** Whether {@code tool} runs ({@code tool --version}, or {@code -V} for ip). */
    static boolean has(String tool) {
        try {
            return runResult(List.of(tool, tool.equals("ip") ? "-V" : "--version"), 10).exit == 0;
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return false;
        }
    }
}
