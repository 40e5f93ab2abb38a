package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.reconcile.ReconcileContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.agent.testing.FakeClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private AgentMetrics metrics;
    private Scheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.stop(Duration.ofSeconds(2));
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static Reconciler counting(String name, AtomicInteger count, CountDownLatch block) {
        return new Reconciler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Outcome reconcile(ReconcileContext context) throws InterruptedException {
                count.incrementAndGet();
                if (block != null) {
                    block.await();
                }
                return Outcome.ok(false, "pass " + count.get());
            }
        };
    }

    private Scheduler scheduler(InstantSource clock, ScheduledReconciler... rs) {
        List<String> names = java.util.Arrays.stream(rs).map(ScheduledReconciler::name).toList();
        StatusStore status = new StatusStore(clock, "n", "worker", "v", names);
        metrics = new AgentMetrics("v", names);
        scheduler = new Scheduler(List.of(rs), new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT, clock,
                RandomGenerator.of("L64X128MixRandom"));
        return scheduler;
    }

    @Test
    void everyReconcilerRunsOnceInTheFirstRoundAndAgainAfterItsInterval() throws Exception {
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        Scheduler s = scheduler(InstantSource.system(),
                new ScheduledReconciler(counting("fast", fast, null), Duration.ofMillis(50), Duration.ofSeconds(1)),
                new ScheduledReconciler(counting("slow", slow, null), Duration.ofHours(1), Duration.ofSeconds(1)));
        s.start();
        assertTrue(s.awaitFirstRound(Duration.ofSeconds(5)));
        Thread.sleep(600);
        assertTrue(fast.get() >= 4, "fast ran " + fast.get() + " times");
        assertEquals(1, slow.get());
    }

    @Test
    void resyncRunsNowAndCompletesWithThatRunsOutcome() throws Exception {
        AtomicInteger count = new AtomicInteger();
        Scheduler s = scheduler(InstantSource.system(),
                new ScheduledReconciler(counting("r", count, null), Duration.ofHours(1), Duration.ofSeconds(1)));
        s.start();
        assertTrue(s.awaitFirstRound(Duration.ofSeconds(5)));
        Outcome o = s.resync("r").get(5, TimeUnit.SECONDS);
        assertEquals("pass 2", o.message());
        CompletableFuture<Outcome> unknown = s.resync("nope");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, unknown::get);
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void aWedgedLoopIsReportedAsStalledOncePastItsDeadline() throws Exception {
        FakeClock clock = new FakeClock();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        // A huge timeout: the runner keeps waiting, as it would on a pass that never returns.
        Scheduler s = scheduler(clock,
                new ScheduledReconciler(counting("wedged", count, never), Duration.ofSeconds(10), Duration.ofMinutes(5)));
        s.start();
        while (count.get() == 0) {
            Thread.sleep(5);
        }
        assertEquals(Optional.empty(), s.stalled());
        clock.advance(Duration.ofMinutes(5).plus(Scheduler.GRACE).plusSeconds(1));
        assertEquals(Optional.of("no progress: wedged"), s.stalled());
        never.countDown();
    }

    @Test
    void stopEndsTheLoopsWithinTheGracePeriod() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Scheduler s = scheduler(InstantSource.system(),
                new ScheduledReconciler(counting("blocked", new AtomicInteger(), never), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        s.start();
        Thread.sleep(100);
        long t0 = System.nanoTime();
        s.stop(Duration.ofSeconds(2));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void watchEventsDuringAPassMakeExactlyOneMorePassAndAreCountedAsWatch() throws Exception {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        Reconciler r = new Reconciler() {
            @Override
            public String name() {
                return "w";
            }

            @Override
            public Outcome reconcile(ReconcileContext context) throws InterruptedException {
                int n = count.incrementAndGet();
                if (n == 2) {
                    secondStarted.countDown();
                    release.await();
                }
                return Outcome.ok(false, "pass " + n);
            }
        };
        Scheduler s = scheduler(InstantSource.system(),
                new ScheduledReconciler(r, Duration.ofHours(1), Duration.ofSeconds(5)));
        s.start();
        assertTrue(s.awaitFirstRound(Duration.ofSeconds(5)));
        s.changed("w");
        assertTrue(secondStarted.await(5, TimeUnit.SECONDS), "an event starts a pass without waiting for the interval");
        for (int i = 0; i < 1000; i++) {
            s.changed("w"); // during the pass: coalesced into one more
        }
        release.countDown();
        while (count.get() < 3) {
            Thread.sleep(5);
        }
        Thread.sleep(300);
        assertEquals(3, count.get());
        String text = metrics.scrape("text/plain").body();
        assertTrue(text.contains("node_agent_reconcile_trigger_total{reconciler=\"w\",trigger=\"watch\"} 2"), text);
        assertTrue(text.contains("node_agent_reconcile_trigger_total{reconciler=\"w\",trigger=\"start\"} 1"), text);
    }

    @Test
    void theTriggerTagsAreTheOnesTheMetricsDeclare() {
        assertEquals(AgentMetrics.TRIGGERS, java.util.Arrays.stream(Trigger.values()).map(Trigger::wire).toList());
    }
}
