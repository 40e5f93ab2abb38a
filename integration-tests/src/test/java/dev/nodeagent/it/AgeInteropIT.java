package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop of the real {@code bin/agentctl} with the real Debian {@code age} CLI and keys made by {@code ssh-keygen}
 * (ed25519, RSA 2048 and 4096), both directions, multi-recipient, armored, at the chunk-boundary sizes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgeInteropIT {

    static final int[] SIZES = {0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 17};

    Path dir;
    Path agentctl;
    Path ed;
    Path rsa2048;
    Path rsa4096;

    @BeforeAll
    void keys(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Assumptions.assumeTrue(onPath("age") && onPath("ssh-keygen"), "needs the age and ssh-keygen CLIs");
        agentctl = Path.of(System.getProperty("nodeagent.dist", "packaging/target/node-agent"), "bin", "agentctl");
        Assumptions.assumeTrue(Files.isExecutable(agentctl), "no distribution at " + agentctl);
        ed = keygen("ed", "-t", "ed25519");
        rsa2048 = keygen("rsa2048", "-t", "rsa", "-b", "2048");
        rsa4096 = keygen("rsa4096", "-t", "rsa", "-b", "4096");
    }

    @Test
    void ageEncryptsToThreeSshKeysAndAgentctlDecryptsEverySize() throws Exception {
        for (int size : SIZES) {
            Path plain = plaintext(size);
            Path enc = dir.resolve("age-" + size + ".age");
            ok(run(null, "age", "-R", pub(ed), "-R", pub(rsa2048), "-R", pub(rsa4096), "-o", enc.toString(),
                    plain.toString()));
            Path out = dir.resolve("out-" + size);
            ok(agentctl(null, "decrypt", "-i", ed.toString(), "-o", out.toString(), enc.toString()));
            assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(out), "size " + size);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        }
        Path enc = dir.resolve("age-65537.age");
        for (Path key : List.of(rsa2048, rsa4096)) {
            Result r = agentctl(null, "decrypt", "-i", key.toString(), enc.toString());
            ok(r);
            assertArrayEquals(Files.readAllBytes(plaintext(65537)), r.stdout, key.toString());
        }
    }

    @Test
    void agentctlEncryptsToThreeSshKeysAndAgeDecryptsEverySize() throws Exception {
        for (int size : SIZES) {
            Path plain = plaintext(size);
            Path enc = dir.resolve("ctl-" + size + ".age");
            ok(agentctl(null, "encrypt", "-R", pub(ed), "-R", pub(rsa2048), "-r",
                    Files.readString(Path.of(pub(rsa4096))).strip(), "-o", enc.toString(), plain.toString()));
            Result r = run(null, "age", "-d", "-i", ed.toString(), enc.toString());
            ok(r);
            assertArrayEquals(Files.readAllBytes(plain), r.stdout, "size " + size);
        }
        Path enc = dir.resolve("ctl-65537.age");
        for (Path key : List.of(rsa2048, rsa4096)) {
            Result r = run(null, "age", "-d", "-i", key.toString(), enc.toString());
            ok(r);
            assertArrayEquals(Files.readAllBytes(plaintext(65537)), r.stdout, key.toString());
        }
    }

    @Test
    void armoredFilesInterOperateBothWaysThroughStdinAndStdout() throws Exception {
        Path plain = plaintext(5000);
        Result fromAge = run(plain, "age", "-a", "-R", pub(rsa2048));
        ok(fromAge);
        Path armored = dir.resolve("armored.age");
        Files.write(armored, fromAge.stdout);
        Result dec = agentctl(armored, "decrypt", "-i", rsa2048.toString());
        ok(dec);
        assertArrayEquals(Files.readAllBytes(plain), dec.stdout);

        Result fromCtl = agentctl(plain, "encrypt", "-a", "-R", pub(ed));
        ok(fromCtl);
        assertTrue(new String(fromCtl.stdout, StandardCharsets.US_ASCII).startsWith("-----BEGIN AGE ENCRYPTED FILE-----"));
        Path armored2 = dir.resolve("armored2.age");
        Files.write(armored2, fromCtl.stdout);
        Result ageDec = run(null, "age", "-d", "-i", ed.toString(), armored2.toString());
        ok(ageDec);
        assertArrayEquals(Files.readAllBytes(plain), ageDec.stdout);
    }

    @Test
    void failuresExitOneWithOneLineAndLeaveNoOutput() throws Exception {
        Path plain = plaintext(200_000);
        Path enc = dir.resolve("trunc-src.age");
        ok(run(null, "age", "-R", pub(ed), "-o", enc.toString(), plain.toString()));
        byte[] bytes = Files.readAllBytes(enc);
        Path truncated = dir.resolve("truncated.age");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));

        Path out = dir.resolve("never");
        Result r = agentctl(null, "decrypt", "-i", ed.toString(), "-o", out.toString(), truncated.toString());
        assertEquals(1, r.exit, r.stderr);
        assertEquals(1, r.stderr.strip().lines().count(), r.stderr);
        assertTrue(r.stderr.contains("payload"), r.stderr);
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left behind");
        }
        Result toStdout = agentctl(null, "decrypt", "-i", ed.toString(), truncated.toString());
        assertEquals(1, toStdout.exit);
        assertEquals(0, toStdout.stdout.length, "no plaintext on stdout for a truncated file");

        Result wrongKey = agentctl(null, "decrypt", "-i", rsa2048.toString(), enc.toString());
        assertEquals(1, wrongKey.exit);
        assertTrue(wrongKey.stderr.contains("no identity matches") && wrongKey.stderr.contains("ssh-ed25519 "),
                wrongKey.stderr);
        assertFalse(wrongKey.stderr.contains("\tat "), "no stack trace");

        assertEquals(2, agentctl(null, "decrypt", enc.toString()).exit, "missing -i is a usage error");
        assertEquals(2, agentctl(null, "encrypt", plain.toString()).exit, "missing recipient is a usage error");
    }

    // --- helpers ---

    Path plaintext(int size) throws IOException {
        Path p = dir.resolve("plain-" + size);
        if (!Files.exists(p)) {
            byte[] b = new byte[size];
            new Random(size).nextBytes(b);
            Files.write(p, b);
        }
        return p;
    }

    Path keygen(String name, String... type) throws Exception {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-f", key.toString()));
        cmd.addAll(List.of(type));
        ok(run(null, cmd.toArray(String[]::new)));
        return key;
    }

    static String pub(Path key) {
        return key + ".pub";
    }

    record Result(int exit, byte[] stdout, String stderr) {
    }

    Result agentctl(Path stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(agentctl.toString()));
        cmd.addAll(List.of(args));
        return run(stdin, cmd.toArray(String[]::new));
    }

    Result run(Path stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(err.toFile());
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, stderr);
    }

    static void ok(Result r) {
        assertEquals(0, r.exit, r.stderr);
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
