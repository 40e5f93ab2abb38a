package dev.nodeagent.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** agentctl in-process: usage errors, the unreachable hint, completion scripts, durations and the table. */
class AgentCtlTest {

    record Result(int exit, String out, String err) {
    }

    static Result exec(String... given) {
        String[] args = GlobalOptions.hoist(given); // what main() does first
        CommandLine cl = AgentCtl.commandLine(args); // what main() runs
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void noDaemonAtTheSocketIsExit3WithAHint(@TempDir Path dir) {
        Result r = exec("status", "--socket", dir.resolve("control.sock").toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot reach node-agent at " + dir.resolve("control.sock")
                + ": No such file or directory"), r.err());
        assertTrue(r.err().contains("hint: is node-agent running?"), r.err());
    }

    @Test
    void versionPrintsTheClientLineEvenWhenTheDaemonIsAway(@TempDir Path dir) {
        Result r = exec("version", "--socket", dir.resolve("control.sock").toString());
        assertEquals(3, r.exit());
        assertTrue(r.out().startsWith("client: agentctl "), r.out());
    }

    @Test
    void aBadTimeoutOrOutputFormatIsAUsageError() {
        assertEquals(2, exec("resync", "--wait", "--timeout", "soon").exit());
        assertEquals(2, exec("status", "-o", "xml").exit());
        assertEquals(2, exec("completion", "tcsh").exit());
    }

    @Test
    void completionScriptsCoverTheSubcommandsInEveryShell() {
        Result bash = exec("completion", "bash");
        assertEquals(0, bash.exit());
        assertTrue(bash.out().contains("complete -F _complete_agentctl") && bash.out().contains("resync"), bash.out());
        Result zsh = exec("completion", "zsh");
        assertTrue(zsh.out().startsWith("#compdef agentctl") && zsh.out().contains("bashcompinit"), zsh.out());
        Result fish = exec("completion", "fish");
        assertTrue(fish.out().contains("complete -c agentctl -n '__fish_use_subcommand' -a resync"), fish.out());
        assertTrue(fish.out().contains("-n '__fish_seen_subcommand_from status' -s o -l output -r -a 'table wide json yaml'"),
                fish.out());
    }

    @Test
    void aSubcommandRunsWithOnlyItselfRegisteredAndHelpOrATypoSeesAll() {
        List<String> all = List.copyOf(AgentCtl.commandLine().getSubcommands().keySet());
        assertEquals(List.of("status", "resync", "check", "version", "completion", "decrypt", "encrypt", "bundle",
                "diff", "help"), all);
        assertEquals(List.of("status"), List.copyOf(AgentCtl.commandLine("status", "-o", "json").getSubcommands().keySet()));
        assertEquals(List.of("bundle"), List.copyOf(AgentCtl.commandLine("bundle", "inspect").getSubcommands().keySet()));
        assertTrue(AgentCtl.commandLine("--version").getSubcommands().isEmpty());
        assertTrue(exec("--version").out().startsWith("agentctl "), exec("--version").toString());
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "status"}, {"completion", "bash"}, {"stauts"},
            {"--version", "status"}}) {
            assertEquals(all, List.copyOf(AgentCtl.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
        // The lean tree describes the subcommand exactly as the full one does.
        StringWriter lean = new StringWriter();
        StringWriter full = new StringWriter();
        AgentCtl.commandLine("status").getSubcommands().get("status").usage(new PrintWriter(lean));
        AgentCtl.commandLine().getSubcommands().get("status").usage(new PrintWriter(full));
        assertEquals(full.toString(), lean.toString());
        assertTrue(exec("stauts").err().contains("stauts"), "a typo is reported against the full tree");
        assertEquals(2, exec("stauts").exit());
    }

    /** {@link FastPath} on captured streams: exit code and what it printed (exit -1 = left to picocli). */
    static Result fast(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FastPath.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFastPathAnswersLikePicocli(@TempDir Path dir) {
        String sock = dir.resolve("control.sock").toString();
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"status", "--socket", sock},
            {"status", "-o", "wide", "--socket=" + sock}, {"status", "--output", "json", "--socket", sock},
            {"version", "--socket", sock}}) {
            Result viaPicocli = exec(args);
            Result viaFast = fast(args);
            assertEquals(viaPicocli, viaFast, String.join(" ", args));
        }
        assertEquals(3, fast("status", "--socket", sock).exit());
    }

    /** kubectl/talosctl habit: global options before the command, on the fast path and through picocli alike. */
    @Test
    void theSocketMayComeBeforeTheCommand(@TempDir Path dir) {
        String sock = dir.resolve("control.sock").toString();
        for (String[] args : new String[][] {{"--socket", sock, "status"}, {"--socket=" + sock, "status", "-o", "json"},
            {"--socket", sock, "version"}}) {
            Result viaFast = fast(args);
            assertEquals(3, viaFast.exit(), String.join(" ", args) + ": " + viaFast);
            assertTrue(viaFast.err().contains("cannot reach node-agent at " + sock), viaFast.err());
            assertEquals(exec(args), viaFast, String.join(" ", args));
        }
        for (String[] args : new String[][] {{"--socket", sock, "resync"}, {"--socket", sock, "check"}}) {
            assertEquals(FastPath.NOT_HANDLED, fast(args).exit());
            Result r = exec(args);
            assertEquals(3, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains("cannot reach node-agent at " + sock), r.err());
        }
        // the same as after the command; both places at once is a repeated option, picocli's usage error
        assertEquals(exec("status", "--socket", sock), exec("--socket", sock, "status"));
        assertEquals(2, exec("--socket", sock, "status", "--socket", sock).exit());
        // malformed: left in place for picocli's usage error
        assertEquals(2, exec("--socket").exit());
        assertEquals(2, exec("--socket", sock).exit());
        assertEquals(List.of("--socket", sock, "--help"), List.of(GlobalOptions.hoist("--socket", sock, "--help")));
        assertEquals(List.of("status", "--socket", sock, "-o", "json"),
                List.of(GlobalOptions.hoist("--socket", sock, "status", "-o", "json")));
        // a command without --socket says so rather than silently ignoring it
        assertEquals(2, exec("--socket", sock, "decrypt", "-i", "k").exit());
    }

    @Test
    void theFastPathLeavesEverythingUnusualToPicocli() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-h"}, {"help"}, {"stauts"}, {"--version", "status"},
            {"status", "--help"}, {"status", "-o", "xml"}, {"status", "-ojson"}, {"status", "extra"},
            {"status", "-o", "json", "-o", "wide"}, {"status", "--socket"}, {"status", "@args"},
            {"version", "-o", "json"}, {"decrypt"}, {"decrypt", "in.age"}, {"decrypt", "-ikey", "in.age"},
            {"decrypt", "-i", "k", "-o", "a", "-o", "b"}, {"decrypt", "-i", "k", "a.age", "b.age"},
            {"decrypt", "-i", "k", "--", "a.age"}, {"decrypt", "-i", "-o", "x"}, {"decrypt", "-i", ""},
            {"encrypt", "in"}, {"encrypt", "-a", "-a", "-r", "age1x"}, {"encrypt", "-r", "age1x", "--armor=true"},
            {"completion", "bash"}, {"bundle", "inspect", "x"}, {"resync"}, {"check"}, {"diff"}}) {
            assertEquals(FastPath.NOT_HANDLED, fast(args).exit(), String.join(" ", args));
        }
    }

    @Test
    void encryptAndDecryptRunOnTheFastPath(@TempDir Path dir) throws Exception {
        Path keys = Path.of(AgentCtlTest.class.getResource("/age-vectors/ssh/keys").toURI());
        Path plain = dir.resolve("plain");
        byte[] data = new byte[200_000];
        new java.util.Random(1).nextBytes(data);
        Files.write(plain, data);
        Path age = dir.resolve("x.age");
        assertEquals(0, fast("encrypt", "-R", keys.resolve("ssh_host_ed25519_key.pub").toString(),
                "--output=" + age, plain.toString()).exit());
        Path out = dir.resolve("out");
        Result r = fast("decrypt", "--identity", keys.resolve("ssh_host_ed25519_key").toString(), "-o", out.toString(),
                age.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(out)));
        // a failure is the same one line as through picocli, and nothing is written
        Path other = dir.resolve("other");
        String[] wrongKey = {"decrypt", "-i", keys.resolve("other_ed25519_key").toString(), "-o", other.toString(),
            age.toString()};
        Result viaFast = fast(wrongKey);
        assertEquals(1, viaFast.exit());
        assertEquals(exec(wrongKey), viaFast);
        assertTrue(viaFast.err().contains("\nagentctl decrypt: no identity matches: "), viaFast.err());
        assertTrue(Files.notExists(other));
        String[] missing = {"decrypt", "-i", keys.resolve("ssh_host_ed25519_key").toString(), dir.resolve("nope").toString()};
        assertEquals(exec(missing), fast(missing));
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"30s,30000", "2m,120000", "1h30m,5400000", "500ms,500", "45,45000"})
    void durationsParse(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Ages.parse(text));
    }

    @Test
    void junkDurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Ages.parse("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> Ages.parse("s"));
    }

    @Test
    void theTableIsAlignedAndUncolouredWithoutATerminal() {
        Instant now = Instant.parse("2026-11-24T08:00:00Z");
        AgentStatus s = new AgentStatus("n1", "worker", "1.0", now.minusSeconds(3700), Health.DEGRADED, List.of(
                new ReconcilerStatus("cert-bundle", State.FAILED, "NotEncryptedToHost", "not for this host",
                        now.minusSeconds(4), null, now.minusSeconds(200), 3, 0.01, List.of(), Map.of()),
                ReconcilerStatus.pending("kubeconfigs")));
        String table = StatusCommand.render(s, false, new Terminal(false, false), now);
        assertEquals("""
                node n1  role worker  version 1.0  health DEGRADED  up 1h1m

                NAME         STATE    REASON              LAST RUN  MESSAGE
                cert-bundle  failed   NotEncryptedToHost  4s        not for this host
                kubeconfigs  pending  NotRunYet           -         has not run yet
                """, table);
        String coloured = StatusCommand.render(s, false, new Terminal(true, true), now);
        assertTrue(coloured.contains("\u001b[31mfailed\u001b[0m   NotEncryptedToHost"), coloured);
    }
}
