package dev.nodeagent.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** agentctl bundle's exit codes and one-line errors, in process (the real binary is driven by BundleToolIT). */
class BundleCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = AgentCtl.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void createWithoutRequiredOptionsIsAUsageError() {
        assertEquals(AgentCtl.USAGE, run("bundle", "create", "--out", dir.toString()));
        assertTrue(err.toString().contains("--hosts") && err.toString().contains("--operator-key"), err.toString());
    }

    @Test
    void renewWithNegativeDaysIsAUsageError() {
        assertEquals(AgentCtl.USAGE, run("bundle", "renew", "--days", "-1", "--hosts", "h.yaml", "--operator-key", "k.pub",
                "--out", dir.toString()));
    }

    @Test
    void verifyOfAMissingDirFailsWithTheReasonAndNoStackTrace() {
        assertEquals(AgentCtl.FAILED, run("bundle", "verify", "--host", "w1", "-i", dir.resolve("key").toString(),
                dir.resolve("missing").toString()));
        String e = err.toString();
        assertTrue(e.startsWith("agentctl: "), e);
        assertTrue(!e.contains("\tat "), e);
    }

    @Test
    void inspectOfADirWithoutCaSaysCaMissing() {
        assertEquals(AgentCtl.FAILED, run("bundle", "inspect", dir.toString()));
        assertTrue(err.toString().contains("CaMissing"), err.toString());
    }

    @Test
    void aMissingOperatorKeyFileIsReportedByName() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("hosts.yaml"),
                "hosts: [{name: w1, sshKey: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpc34v0hRmaJTWI5o+KvnNzsX1hVMR0oywJkG3en1P6 w1\"}]\n");
        assertEquals(AgentCtl.FAILED, run("bundle", "create", "--hosts", dir.resolve("hosts.yaml").toString(),
                "--operator-key", dir.resolve("nope.pub").toString(), "--out", dir.resolve("out").toString()));
        assertTrue(err.toString().contains("nope.pub"), err.toString());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("out")), "nothing written");
    }
}
