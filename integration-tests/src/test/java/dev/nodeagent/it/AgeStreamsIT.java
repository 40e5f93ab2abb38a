package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentctl decrypt} and {@code encrypt} through a real shell, in every way users connect them: input as a
 * file argument, a stdin redirect or a pipe; output to a pipe, a stdout redirect or {@code -o}; at sizes around the
 * 64 KiB chunk and past the 16 MiB in-memory staging limit. Every result is compared byte for byte (by SHA-256)
 * with what Debian's {@code age -d} produces. A consumer that closes the pipe early must never see a "success".
 * (A decrypt from stdin to a pipe once stopped at 16,842,752 bytes and exited 0.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgeStreamsIT {

    static final int KIB = 1024;
    static final int[] SIZES = {0, 64 * KIB - 1, 64 * KIB, 64 * KIB + 1, 16 * KIB * KIB + 1, 40 * KIB * KIB};

    /** How INPUT reaches agentctl: {@code %s} is the agentctl command without its input. */
    enum In {
        FILE("%s IN"), REDIRECT("%s < IN"), PIPE("cat IN | %s");

        final String shape;

        In(String shape) {
            this.shape = shape;
        }
    }

    /** Where agentctl's output goes. */
    enum Out {
        PIPE(" | sha256sum > SUM"), REDIRECT(" > OUT"), DASH_O(" -o OUT");

        final String suffix;

        Out(String suffix) {
            this.suffix = suffix;
        }
    }

    Path dir;
    Path agentctl;
    Path ed;
    Path rsa;

    @BeforeAll
    void keys(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Assumptions.assumeTrue(Dist.hasTool("age") && Dist.hasTool("ssh-keygen") && Dist.hasTool("sha256sum"),
                "needs the age, ssh-keygen and sha256sum CLIs");
        agentctl = Dist.bin("agentctl");
        Assumptions.assumeTrue(Files.isExecutable(agentctl), "no distribution at " + agentctl);
        ed = keygen("ed", "ed25519");
        rsa = keygen("rsa", "rsa");
        Random random = new Random(20261203);
        for (int size : SIZES) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Files.write(plain(size), data);
            sh("age -R " + ed + ".pub -R " + rsa + ".pub -o " + enc(size) + " " + plain(size));
            // the reference: what Debian's age decrypts the file to, which must be the plaintext itself
            String ref = sha256Of(sh("age -d -i " + ed + " " + enc(size)).stdout);
            assertEquals(sha256(plain(size)), ref, "age -d of size " + size);
        }
    }

    @Test
    void decryptGivesAgesBytesForEveryInputAndOutputShape() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int size : SIZES) {
            for (In in : In.values()) {
                for (Out out : Out.values()) {
                    String got = runShape(in, out, agentctl + " decrypt -i " + ed, enc(size));
                    if (!sha256(plain(size)).equals(got)) {
                        wrong.add(size + " bytes, input " + in + ", output " + out + ": " + got);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void decryptWithTheRsaKeyFromStdinToAPipePastTheStagingLimit() throws Exception {
        int size = 40 * KIB * KIB;
        assertEquals(sha256(plain(size)), runShape(In.PIPE, Out.PIPE, agentctl + " decrypt -i " + rsa, enc(size)));
    }

    @Test
    void encryptGivesWhatAgeDecryptsForEveryInputAndOutputShape() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int size : SIZES) {
            for (In in : In.values()) {
                for (Out out : Out.values()) {
                    Path cipher = dir.resolve("ctl-" + size + "-" + in + "-" + out + ".age");
                    String cmd = agentctl + " encrypt -R " + ed + ".pub";
                    String shape = in.shape.formatted(cmd) + (out == Out.DASH_O ? " -o OUT" : " > OUT");
                    if (out == Out.PIPE) {
                        shape = in.shape.formatted(cmd) + " | cat > OUT";
                    }
                    Result r = sh("set -o pipefail; " + shape.replace("IN", plain(size).toString())
                            .replace("OUT", cipher.toString()));
                    assertEquals(0, r.exit, size + " " + in + " " + out + ": " + r.stderr);
                    String got = sha256Of(sh("age -d -i " + ed + " " + cipher).stdout);
                    if (!sha256(plain(size)).equals(got)) {
                        wrong.add(size + " bytes, input " + in + ", output " + out);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aConsumerThatStopsReadingNeverGetsASuccess() throws Exception {
        for (int size : new int[] {64 * KIB + 1, 16 * KIB * KIB + 1, 40 * KIB * KIB}) {
            for (In in : In.values()) {
                Path head = dir.resolve("head-" + size + "-" + in);
                String cmd = in.shape.formatted(agentctl + " decrypt -i " + ed).replace("IN", enc(size).toString());
                Result r = sh(cmd + " | head -c 10 > " + head + "; echo \"${PIPESTATUS[@]}\"");
                String[] status = new String(r.stdout, StandardCharsets.US_ASCII).strip().split(" ");
                String agentctlStatus = status[in == In.PIPE ? 1 : 0];
                byte[] first = Files.readAllBytes(head);
                byte[] expected = java.util.Arrays.copyOf(Files.readAllBytes(plain(size)), 10);
                assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(first), size + " " + in);
                // The consumer got 10 bytes of many: agentctl must not claim it delivered the whole plaintext.
                assertNotEquals("0", agentctlStatus, size + " " + in + ": exit 0 after a closed pipe; " + r.stderr);
                assertFalse(r.stderr.contains("\tat "), "a stack trace: " + r.stderr);
            }
        }
        // and encrypt the same way
        Result r = sh(agentctl + " encrypt -R " + ed + ".pub < " + plain(40 * KIB * KIB)
                + " | head -c 10 > /dev/null; echo \"${PIPESTATUS[0]}\"");
        assertNotEquals("0", new String(r.stdout, StandardCharsets.US_ASCII).strip(), r.stderr);
    }

    /** Runs agentctl in the given shape; the SHA-256 of what the consumer got, or the exit status on failure. */
    private String runShape(In in, Out out, String command, Path input) throws Exception {
        Path outFile = dir.resolve("out");
        Path sumFile = dir.resolve("sum");
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(sumFile);
        String shape = in.shape.formatted(command + (out == Out.DASH_O ? out.suffix : "")) + (out == Out.DASH_O ? ""
                : out.suffix);
        Result r = sh("set -o pipefail; " + shape.replace("IN", input.toString())
                .replace("OUT", outFile.toString()).replace("SUM", sumFile.toString()));
        if (r.exit != 0) {
            return "exit " + r.exit + ": " + r.stderr.strip();
        }
        return out == Out.PIPE ? Files.readString(sumFile).split(" ")[0] : sha256(outFile);
    }

    private Path plain(int size) {
        return dir.resolve("plain-" + size);
    }

    private Path enc(int size) {
        return dir.resolve("plain-" + size + ".age");
    }

    private Path keygen(String name, String type) throws Exception {
        Path key = dir.resolve(name);
        Result r = sh("ssh-keygen -q -t " + type + " -N '' -C it@" + name + " -f " + key);
        assertEquals(0, r.exit, r.stderr);
        return key;
    }

    record Result(int exit, byte[] stdout, String stderr) {
    }

    private Result sh(String script) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder("bash", "-c", script).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] stdout;
        try (InputStream in = p.getInputStream()) {
            stdout = in.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + script);
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), stdout, stderr);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file);
             OutputStream digest = new java.security.DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            in.transferTo(digest);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256Of(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
