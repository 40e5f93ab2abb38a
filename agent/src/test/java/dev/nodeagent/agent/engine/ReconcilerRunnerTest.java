package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.reconcile.ReconcileContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.agent.testing.FakeClock;
import dev.nodeagent.api.status.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcilerRunnerTest {

    private final FakeClock clock = new FakeClock();
    private final StatusStore status = new StatusStore(clock, "n", "worker", "v", List.of("r"));
    private final AgentMetrics metrics = new AgentMetrics("v", List.of("r"));
    private final ReconcilerRunner runner = new ReconcilerRunner(status, metrics, clock);

    @AfterEach
    void close() {
        metrics.close();
    }

    private static ScheduledReconciler scheduled(Reconciler r, Duration timeout) {
        return new ScheduledReconciler(r, Duration.ofSeconds(10), timeout);
    }

    private static Reconciler named(ThrowingPass pass) {
        return new Reconciler() {
            @Override
            public String name() {
                return "r";
            }

            @Override
            public Outcome reconcile(ReconcileContext context) throws Exception {
                return pass.run(context);
            }
        };
    }

    interface ThrowingPass {
        Outcome run(ReconcileContext c) throws Exception;
    }

    @Test
    void anOutcomeIsRecordedInStatusAndMetrics() throws Exception {
        Outcome o = runner.run(scheduled(named(c -> Outcome.ok(true, "did it")), Duration.ofSeconds(1)), false);
        assertEquals(State.OK, o.state());
        assertEquals("did it", status.get("r").orElseThrow().message());
        String scrape = metrics.scrape(null).body();
        assertTrue(scrape.contains("node_agent_reconcile_total{reconciler=\"r\",result=\"ok\"} 1"), scrape);
        assertTrue(scrape.contains("node_agent_reconciler_ok{reconciler=\"r\"} 1"), scrape);
        assertTrue(scrape.contains("node_agent_reconcile_changes_total{reconciler=\"r\"} 1"), scrape);
    }

    @Test
    void anExceptionBecomesAFailedOutcomeWithItsMessage() throws Exception {
        Outcome o = runner.run(scheduled(named(c -> {
            throw new IOException("/etc/cni/net.d: permission denied");
        }), Duration.ofSeconds(1)), false);
        assertEquals(State.FAILED, o.state());
        assertEquals("Exception", o.reason());
        assertEquals("IOException: /etc/cni/net.d: permission denied", o.message());
        assertEquals(1, status.get("r").orElseThrow().consecutiveFailures());
    }

    @Test
    void aPassPastItsTimeoutIsAbandonedAndNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Reconciler stuck = named(c -> {
            // ignores interrupts, like a blocking native call would
            while (true) {
                try {
                    release.await();
                    return Outcome.ok(false, "finally");
                } catch (InterruptedException e) {
                    // keep waiting
                }
            }
        });
        Outcome first = runner.run(scheduled(stuck, Duration.ofMillis(100)), false);
        assertEquals("Timeout", first.reason());
        assertEquals(State.FAILED, first.state());
        Outcome second = runner.run(scheduled(stuck, Duration.ofMillis(100)), false);
        assertEquals("StillRunning", second.reason());
        release.countDown();
        Thread.sleep(50);
        Outcome third = runner.run(scheduled(named(c -> Outcome.ok(false, "fresh")), Duration.ofSeconds(1)), false);
        assertEquals(State.OK, third.state());
    }

    @Test
    void theContextCarriesForcedAndTheFailureCountTheEngineKeeps() throws Exception {
        ReconcileContext[] seen = new ReconcileContext[1];
        runner.run(scheduled(named(c -> {
            seen[0] = c;
            return Outcome.ok(false, "");
        }), Duration.ofSeconds(1)), Trigger.RESYNC, 2);
        assertEquals(2, seen[0].consecutiveFailures());
        assertTrue(seen[0].forced());
        assertEquals(clock.instant(), seen[0].startedAt());
    }

    @Test
    void aNullOutcomeIsAFailureNotACrash() throws Exception {
        Outcome o = runner.run(scheduled(named(c -> null), Duration.ofSeconds(1)), false);
        assertEquals("NoOutcome", o.reason());
    }
}
