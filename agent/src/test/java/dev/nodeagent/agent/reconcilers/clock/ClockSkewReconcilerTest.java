package dev.nodeagent.agent.reconcilers.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcilers.clock.ClockSkewReconciler.Settings;
import dev.nodeagent.agent.reconcilers.prereqs.ClockSync;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Skew verdicts with a fake local clock (an InstantSource that advances 40 ms per read) and a fake server Date. */
class ClockSkewReconcilerTest {

    Instant local = Instant.parse("2026-12-03T18:00:00.200Z");
    Optional<Instant> serverDate;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    InstantSource ticking = new InstantSource() {
        @Override
        public Instant instant() {
            Instant now = local;
            local = local.plusMillis(40); // the request "takes" 40 ms
            return now;
        }
    };

    Outcome pass() throws Exception {
        ClockSkewReconciler.ServerClock server = new ClockSkewReconciler.ServerClock() {
            @Override
            public Optional<Instant> date() {
                return serverDate;
            }

            @Override
            public String lastProblem() {
                return "/var/lib/kubelet/kubeconfig does not exist yet";
            }
        };
        ClockSync synced = new ClockSync(new CommandRunner()) {
            @Override
            public Status status() {
                return new Status(Optional.of(true), "test");
            }
        };
        return new ClockSkewReconciler(new Settings("/var/lib/kubelet/kubeconfig", Duration.ofSeconds(30)), server,
                synced, ticking, registry).reconcile(new ReconcileContext(Instant.EPOCH, false, 0));
    }

    @Test
    void aClockWithinTheBoundIsOk() throws Exception {
        serverDate = Optional.of(Instant.parse("2026-12-03T17:59:55Z")); // ~5 s behind us
        Outcome o = pass();
        assertEquals(State.OK, o.state(), o.message());
        assertEquals("the local clock is within 30s of the API server (4.7s ahead of)", o.message());
        assertEquals(4.72, registry.get("node_agent_clock_skew_seconds").gauge().value(), 0.001);
    }

    @Test
    void aClockTwoMinutesBehindIsClockSkew() throws Exception {
        serverDate = Optional.of(Instant.parse("2026-12-03T18:02:00Z"));
        Outcome o = pass();
        assertEquals(State.FAILED, o.state());
        assertEquals("ClockSkew", o.reason());
        assertTrue(o.message().startsWith("the local clock is 2m0s behind the API server (2026-12-03T18:02:00Z,"),
                o.message());
    }

    @Test
    void justBeyondTheBoundButWithinTheUncertaintyIsNotCalledSkew() throws Exception {
        // skew 30.2 s: within 30 s + 0.5 s (Date resolution) + 20 ms (half the round trip)
        serverDate = Optional.of(Instant.parse("2026-12-03T17:59:29.5Z"));
        assertEquals(State.OK, pass().state());
    }

    @Test
    void withoutAKubeconfigItIsWaitingWithTheKernelState() throws Exception {
        serverDate = Optional.empty();
        Outcome o = pass();
        assertEquals(State.WAITING, o.state());
        assertEquals("KubeconfigMissing", o.reason());
        assertEquals("clock synchronised", o.checks().getFirst().name());
    }
}
