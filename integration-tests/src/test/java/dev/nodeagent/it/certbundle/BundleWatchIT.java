package dev.nodeagent.it.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new bundle goes live without waiting for the interval: the real daemon with {@code interval: 1h} watches the
 * secrets dir, and a bundle published the agenix way (a symlink swapped in one rename, as nixos-rebuild does) is
 * the live generation within seconds. Fails on the polling loop (the next pass would be an hour away).
 */
class BundleWatchIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path work;

    @BeforeAll
    static void tools() {
        CertSandbox.assumeTools();
        AgentProcess.dist();
    }

    @Test
    void aSwappedInBundleIsLiveWithinSecondsWithAnHourLongInterval() throws Exception {
        try (CertSandbox box = new CertSandbox(work.resolve("host"), null)) {
            box.publish(Map.of(), null);
            Path second = box.make(Map.of(), null);
            Path third = box.make(Map.of(), null);
            int port = AgentProcess.freePort();
            try (AgentProcess agent = new AgentProcess(box.config(port, "1h"), work.resolve("agent.log"), port,
                    AgentProcess.newTranscript()).start()) {
                agent.awaitCertBundle("generation 1", s -> s.state() == State.OK && generation(box) == 1, Duration.ofSeconds(60));
                double watchPasses = agent.metric("node_agent_reconcile_trigger_total{reconciler=\"cert-bundle\",trigger=\"watch\"}");

                box.swapIn(second);
                agent.awaitCertBundle("generation 2", s -> s.state() == State.OK && generation(box) == 2, SOON);
                assertTrue(agent.metric("node_agent_reconcile_trigger_total{reconciler=\"cert-bundle\",trigger=\"watch\"}")
                        > watchPasses);
                assertEquals(0.0, agent.metric("node_agent_reconcile_trigger_total{reconciler=\"cert-bundle\",trigger=\"interval\"}"));

                // the secrets dir deleted and published again (its parent recreated too): still watched
                Files.delete(box.root.resolve("var/lib/secrets"));
                Files.delete(box.root.resolve("var/lib"));
                agent.awaitCertBundle("waiting for the bundle", s -> s.state() == State.WAITING, SOON);
                Files.createDirectories(box.root.resolve("var/lib"));
                box.swapIn(third);
                agent.awaitCertBundle("generation 3", s -> s.state() == State.OK && generation(box) == 3, SOON);
            }
        }
    }

    private static long generation(CertSandbox box) {
        try {
            return Long.parseLong(Files.readSymbolicLink(box.target()).toString().replace("certs.gen/", ""));
        } catch (Exception e) {
            return -1;
        }
    }
}
