package dev.nodeagent.agent.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.Check;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node-agent check} over whatever {@link Reconcilers} lists; here cni-ipam-link on a temp host root. */
class PreflightTest {

    @TempDir
    Path root;

    String run(int expectedExit) throws Exception {
        // Only cni-ipam-link: every other reconciler is switched off, whichever exist.
        StringBuilder off = new StringBuilder();
        Reconcilers.configSections().stream().map(s -> s.key()).filter(k -> !k.equals("cniIpamLink"))
                .forEach(k -> off.append("  ").append(k).append(": {enabled: false}\n"));
        AgentConfig cfg = new ConfigLoader(Reconcilers.configSections(), "node1").parse("""
                node: {role: worker}
                hostRoot: %s
                reconcilers:
                %s""".formatted(root, off), "agent.yaml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new Preflight(cfg, InstantSource.system(), Reconcilers.enabledNames(cfg),
                services -> Reconcilers.create(cfg, services)).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, out);
        return out;
    }

    @Test
    void waitingIsNotAFailure() throws Exception {
        String out = run(0);
        assertTrue(out.startsWith("cni-ipam-link  waiting  SourceMissing: /opt/cni/bin/calico does not exist\n"), out);
        assertTrue(out.endsWith("1 reconciler(s): 0 ok, 1 waiting, 0 failed; 0 warning(s)\n"), out);
    }

    @Test
    void aPassRunsForRealAndAFailedOneExitsOne() throws Exception {
        Path bin = Files.createDirectories(root.resolve("opt/cni/bin"));
        Files.writeString(bin.resolve("calico"), "");
        assertTrue(run(0).startsWith("cni-ipam-link  ok       repaired /opt/cni/bin/calico-ipam -> calico"));
        assertTrue(Files.isSymbolicLink(bin.resolve("calico-ipam")));
        Files.delete(bin.resolve("calico-ipam"));
        Files.createDirectory(bin.resolve("calico-ipam")); // cannot be replaced by a link
        assertTrue(run(1).contains("cni-ipam-link  failed   Exception: IOException:"));
    }

    @Test
    void anOkHeadlineLeavesTheWarningsToTheCheckLines() {
        Outcome o = Outcome.fromChecks(List.of(Check.pass("a", "fine"), Check.warnIfNot(false, "swap", "swap is on")),
                "node prerequisites met");
        assertEquals("node prerequisites met (1 warning)", Preflight.headline(o));
        Outcome failed = Outcome.fromChecks(List.of(Check.fail("x", "broken")), "fine");
        assertEquals("broken", Preflight.headline(failed));
    }
}
