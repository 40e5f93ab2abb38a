package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers and the daemon's command line, as an operator meets them. */
class CommandLineIT {

    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void versionAndHelpWork() throws Exception {
        Dist.Result v = Dist.run(T, "node-agent", "--version");
        assertEquals(0, v.exitCode(), v.output());
        assertTrue(v.output().startsWith("node-agent "), v.output());
        Dist.Result h = Dist.run(T, "node-agent", "--help");
        assertEquals(0, h.exitCode());
        for (String sub : new String[] {"run", "check-config", "demo"}) {
            assertTrue(h.output().contains(sub), "help lists " + sub);
        }
        assertEquals(0, Dist.run(T, "agentctl", "--version").exitCode());
    }

    @Test
    void checkConfigAcceptsTheShippedExamplesAndRejectsABadFileWithExitTwo(@TempDir Path tmp) throws Exception {
        for (String example : new String[] {"worker.yaml", "control-plane.yaml"}) {
            Dist.Result ok = Dist.run(T, "node-agent", "check-config", Dist.home().resolve("config").resolve(example).toString());
            assertEquals(0, ok.exitCode(), example + ": " + ok.output());
        }
        Path bad = Files.writeString(tmp.resolve("agent.yaml"), """
                node:
                  role: worker
                reconcilers:
                  cniIpamLink:
                    binDir: opt/cni/bin
                    interval: often
                """);
        Dist.Result r = Dist.run(T, "node-agent", "check-config", bad.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(bad + ":5: reconcilers.cniIpamLink.binDir: must be an absolute path"), r.output());
        assertTrue(r.output().contains(bad + ":6: reconcilers.cniIpamLink.interval: must be a duration"), r.output());
        assertTrue(r.output().contains("nothing started"), r.output());
    }

    @Test
    void runWithAnInvalidConfigStartsNothingAndExitsTwo(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(tmp.resolve("agent.yaml"), "nodee: {}\n");
        Dist.Result r = Dist.run(T, "node-agent", "run", "--config", bad.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(bad + ":1: nodee: unknown key"), r.output());
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Dist.Result r = Dist.run(T, "node-agent", "frobnicate");
        assertEquals(2, r.exitCode(), r.output());
    }

    @Test
    void demoSetupOnlyWritesAConfigThatRunAccepts(@TempDir Path tmp) throws Exception {
        Dist.Result r = Dist.run(T, "node-agent", "demo", "--dir", tmp.resolve("d").toString(), "--setup-only");
        assertEquals(0, r.exitCode(), r.output());
        Path cfg = tmp.resolve("d/etc/node-agent/agent.yaml");
        assertTrue(Files.readString(cfg).contains("hostRoot: " + tmp.resolve("d")), Files.readString(cfg));
        Dist.Result check = Dist.run(T, "node-agent", "check-config", cfg.toString());
        assertEquals(0, check.exitCode(), check.output());
    }
}
