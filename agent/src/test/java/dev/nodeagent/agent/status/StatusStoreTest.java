package dev.nodeagent.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.testing.FakeClock;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusStoreTest {

    private final FakeClock clock = new FakeClock();
    private final StatusStore store = new StatusStore(clock, "n1", "worker", "1.0", List.of("a", "b"));

    private ReconcilerStatus record(String name, Outcome o) {
        store.record(name, o, clock.instant(), Duration.ofMillis(5));
        return store.get(name).orElseThrow();
    }

    @Test
    void startsPendingAndStartingUntilEveryReconcilerRan() {
        assertEquals(Health.STARTING, store.health());
        assertEquals(State.PENDING, store.get("a").orElseThrow().state());
        assertEquals(Optional.of("not run yet: a, b"), store.notReadyReason());
        record("a", Outcome.ok(false, "fine"));
        assertEquals(Health.STARTING, store.health());
        record("b", Outcome.waiting("NoCalico", "calico missing"));
        assertEquals(Health.READY, store.health(), "waiting is not a failure");
        assertEquals(Optional.empty(), store.notReadyReason());
    }

    @Test
    void anyFailureDegradesAndNamesItselfInTheReadinessReason() {
        record("a", Outcome.ok(false, "fine"));
        record("b", Outcome.failed("Broken", "it broke"));
        assertEquals(Health.DEGRADED, store.health());
        assertEquals(Optional.of("failed: b (Broken)"), store.notReadyReason());
        assertEquals("1/2 ok; b: Broken", store.summary());
        record("b", Outcome.ok(true, "fixed"));
        assertEquals(Health.READY, store.health());
    }

    @Test
    void lastTransitionMovesOnlyWhenTheStateMoves() {
        Instant t0 = clock.instant();
        record("a", Outcome.failed("X", "x"));
        clock.advance(Duration.ofSeconds(10));
        ReconcilerStatus s = record("a", Outcome.failed("Y", "y"));
        assertEquals(t0, s.lastTransitionAt(), "a new reason is not a transition");
        assertEquals(2, s.consecutiveFailures());
        assertNull(s.lastSuccessAt());
        clock.advance(Duration.ofSeconds(10));
        Instant t2 = clock.instant();
        s = record("a", Outcome.ok(false, "ok"));
        assertEquals(t2, s.lastTransitionAt());
        assertEquals(t2, s.lastSuccessAt());
        assertEquals(0, s.consecutiveFailures());
        clock.advance(Duration.ofSeconds(10));
        s = record("a", Outcome.ok(true, "changed something"));
        assertEquals(t2, s.lastTransitionAt());
        assertEquals(clock.instant(), s.lastSuccessAt());
        assertEquals(0.005, s.durationSeconds(), 1e-9);
    }

    @Test
    void waitingResetsTheFailureCountButIsNotASuccess() {
        record("a", Outcome.failed("X", "x"));
        ReconcilerStatus s = record("a", Outcome.waiting("W", "w"));
        assertEquals(0, s.consecutiveFailures());
        assertNull(s.lastSuccessAt());
    }

    @Test
    void listenersHearStateAndReasonChangesOnly() {
        AtomicInteger calls = new AtomicInteger();
        store.addListener(s -> calls.incrementAndGet());
        record("a", Outcome.ok(false, "fine"));
        record("a", Outcome.ok(false, "fine again"));
        assertEquals(1, calls.get());
        record("a", Outcome.failed("X", "x"));
        record("a", Outcome.failed("Y", "y"));
        assertEquals(3, calls.get());
    }

    @Test
    void snapshotKeepsTheConfiguredOrder() {
        record("b", Outcome.ok(false, ""));
        record("a", Outcome.ok(false, ""));
        assertEquals(List.of("a", "b"), store.snapshot().reconcilers().stream().map(ReconcilerStatus::name).toList());
        assertEquals("n1", store.snapshot().node());
    }
}
