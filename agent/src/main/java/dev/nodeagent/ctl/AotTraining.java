package dev.nodeagent.ctl;

import dev.nodeagent.age.AgeFiles;
import dev.nodeagent.age.Identities;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The agentctl AOT-cache training runs (used only by {@code bin/aot-cache}, via the launcher's
 * {@code --aot-training} with {@code NODE_AGENT_AOT_OUTPUT} set). One JVM records one cache, and a JVM started with
 * a cache loads and links every class in it before {@code main}, so agentctl has two small caches rather than one
 * big one: {@code agentctl} (daemon commands: {@code status} in every format and {@code version} against the
 * training demo's socket, the FastPath way the launcher runs them, plus help through picocli) and
 * {@code agentctl-age} ({@code --age KEY}: {@code encrypt} and {@code decrypt} of a 2 KiB and a 1 MiB file with an
 * ssh-ed25519 key, to a file and to a stream) and {@code agentctl-bulk} ({@code --bulk KEY}: the same with a 32 MiB
 * file, run by the launcher with its large-file JIT flags, so the cache's method profiles are those of C2 code).
 * Output is discarded.
 * Exit status: 0 when every command answered as expected, 1 otherwise (the cache is still written).
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** @param args {@code SOCKET} (the running training daemon's control socket) or {@code --age SSH_ED25519_KEY} */
    public static void main(String[] args) throws IOException {
        OfflineUrlHandlers.install(); // as AgentCtlMain.main does
        int failed;
        if (args.length == 1) {
            failed = daemonCommands(args[0]);
        } else if (args.length == 2 && args[0].equals("--age")) {
            failed = age(args[1], SIZES);
        } else if (args.length == 2 && args[0].equals("--bulk")) {
            failed = age(args[1], BULK_SIZES);
        } else {
            System.err.println("usage: AotTraining SOCKET | --age SSH_ED25519_KEY | --bulk SSH_ED25519_KEY");
            System.exit(AgentCtl.USAGE);
            return;
        }
        System.exit(failed == 0 ? AgentCtl.OK : AgentCtl.FAILED);
    }

    private static int daemonCommands(String sock) {
        int failed = 0;
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> run : List.of(List.of("--help"), List.of("status", "--help"))) {
            String[] argv = run.toArray(String[]::new);
            CommandLine cl = AgentCtl.commandLine(argv);
            cl.setOut(discard);
            cl.setErr(discard);
            failed += check(run, cl.execute(argv));
        }
        return failed + fast(List.of(
                List.of("--version"),
                List.of("status", "--socket", sock),
                List.of("status", "-o", "json", "--socket", sock),
                List.of("status", "-o", "table", "--socket", sock),
                List.of("status", "-o", "wide", "--socket", sock),
                List.of("status", "-o", "yaml", "--socket", sock),
                List.of("version", "--socket", sock)));
    }

    private static int age(String key, int[] sizes) throws IOException {
        int failed = 0;
        Path work = Files.createTempDirectory("agentctl-training");
        try {
            List<List<String>> runs = new ArrayList<>();
            for (int size : sizes) {
                Path plain = work.resolve("plain-" + size);
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) (i * 31);
                }
                Files.write(plain, data);
                String age = work.resolve("file-" + size + ".age").toString();
                runs.add(List.of("encrypt", "-R", key + ".pub", "-o", age, plain.toString()));
                runs.add(List.of("encrypt", "-a", "-R", key + ".pub", "-o", age + ".asc", plain.toString()));
                runs.add(List.of("decrypt", "-i", key, "-o", work.resolve("out-" + size).toString(), age));
                runs.add(List.of("decrypt", "-i", key, "-o", work.resolve("out-" + size).toString(), age + ".asc"));
            }
            failed += fast(runs);
            // decrypt to stdout: the same in-memory and parallel paths, into a discarding stream
            for (int size : sizes) {
                try (FileChannel in = FileChannel.open(work.resolve("file-" + size + ".age"))) {
                    AgeFiles.decrypt(in, OutputStream.nullOutputStream(), Identities.load(Path.of(key), w -> { }));
                } catch (Exception e) {
                    System.err.println("aot training: decrypt to a stream failed: " + e);
                    failed++;
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return failed;
    }

    private static final int[] SIZES = {2048, 1 << 20};
    /** Large enough that the cipher's hot methods reach C2 under the launcher's bulk flags (a few MiB would do). */
    private static final int[] BULK_SIZES = {32 << 20};

    private static int fast(List<List<String>> runs) {
        int failed = 0;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        for (List<String> run : runs) {
            failed += check(run, FastPath.run(run.toArray(String[]::new), nowhere, nowhere));
        }
        return failed;
    }

    private static int check(List<String> run, int exit) {
        if (exit != AgentCtl.OK) {
            System.err.println("aot training: agentctl " + String.join(" ", run) + " exited " + exit);
            return 1;
        }
        return 0;
    }
}
