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
 * The agentctl AOT-cache training run (used only by {@code bin/aot-cache}, via the launcher's
 * {@code --aot-training} with {@code NODE_AGENT_AOT_OUTPUT} set): one JVM records one cache, so this runs the
 * commands operators use most, in-process and with their output discarded, against the training demo's socket:
 * {@code status} in every format and {@code version} (the {@link FastPath} way, as the launcher runs them), help
 * (picocli), and, given the demo's SSH host key, {@code encrypt} and {@code decrypt} of a 2 KiB and a 1 MiB file
 * (to a file and to a stream). Then those commands start with their classes already loaded and linked.
 * Exit status: 0 when every command answered as expected, 1 otherwise (the cache is still written).
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** @param args the running training daemon's control socket, then optionally an ssh-ed25519 key (with .pub) */
    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: AotTraining SOCKET [SSH_ED25519_KEY]");
            System.exit(AgentCtl.USAGE);
        }
        String sock = args[0];
        int failed = 0;
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> run : List.of(
                List.of("--help"),
                List.of("status", "--help"))) {
            String[] argv = run.toArray(String[]::new);
            CommandLine cl = AgentCtl.commandLine(argv);
            cl.setOut(discard);
            cl.setErr(discard);
            failed += check(run, cl.execute(argv));
        }
        List<List<String>> fast = new ArrayList<>(List.of(
                List.of("--version"),
                List.of("status", "--socket", sock),
                List.of("status", "-o", "json", "--socket", sock),
                List.of("status", "-o", "table", "--socket", sock),
                List.of("status", "-o", "wide", "--socket", sock),
                List.of("status", "-o", "yaml", "--socket", sock),
                List.of("version", "--socket", sock)));
        Path work = null;
        if (args.length == 2) {
            work = Files.createTempDirectory("agentctl-training");
            String key = args[1];
            for (int size : new int[] {2048, 1 << 20}) {
                Path plain = work.resolve("plain-" + size);
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) (i * 31);
                }
                Files.write(plain, data);
                String age = work.resolve("file-" + size + ".age").toString();
                fast.add(List.of("encrypt", "-R", key + ".pub", "-o", age, plain.toString()));
                fast.add(List.of("encrypt", "-a", "-R", key + ".pub", "-o", age + ".asc", plain.toString()));
                fast.add(List.of("decrypt", "-i", key, "-o", work.resolve("out-" + size).toString(), age));
                fast.add(List.of("decrypt", "-i", key, "-o", work.resolve("out-" + size).toString(), age + ".asc"));
            }
        }
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        for (List<String> run : fast) {
            failed += check(run, FastPath.run(run.toArray(String[]::new), nowhere, nowhere));
        }
        if (work != null) {
            // decrypt to stdout: the same in-memory and parallel paths, into a discarding stream
            for (int size : new int[] {2048, 1 << 20}) {
                try (FileChannel in = FileChannel.open(work.resolve("file-" + size + ".age"))) {
                    AgeFiles.decrypt(in, OutputStream.nullOutputStream(), Identities.load(Path.of(args[1]), w -> { }));
                } catch (Exception e) {
                    System.err.println("aot training: decrypt to a stream failed: " + e);
                    failed++;
                }
            }
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(failed == 0 ? AgentCtl.OK : AgentCtl.FAILED);
    }

    private static int check(List<String> run, int exit) {
        if (exit != AgentCtl.OK) {
            System.err.println("aot training: agentctl " + String.join(" ", run) + " exited " + exit);
            return 1;
        }
        return 0;
    }
}
