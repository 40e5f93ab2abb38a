package dev.nodeagent.it.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion with a timeout; stdout and stderr are merged. */
record Proc(int exit, String output) {

    static Proc run(Duration timeout, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("proc", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + Files.readString(out));
                }
                return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    static Proc run(String... command) {
        return run(Duration.ofMinutes(2), Map.of(), List.of(command));
    }

    /** True when {@code tool} is on PATH. */
    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static boolean root() {
        return run("id", "-u").output().trim().equals("0");
    }

    Proc ok(String what) {
        if (exit != 0) {
            throw new AssertionError(what + " exited " + exit + ":\n" + output);
        }
        return this;
    }
}
