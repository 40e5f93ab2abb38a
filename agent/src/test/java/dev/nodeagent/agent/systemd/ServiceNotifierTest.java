package dev.nodeagent.agent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.engine.Backoff;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.engine.ReconcilerRunner;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The whole notifier against a real Scheduler, ReconcilerRunner and StatusStore, and a real datagram socket as
 * NOTIFY_SOCKET. The wedge is real: the loop thread is blocked inside StatusStore (a listener that never returns
 * — the kind of deadlock the runner's per-pass timeout cannot cut short). Only the clock is moved forward, so
 * the test does not have to sit out the scheduler's 10 s grace.
 */
class ServiceNotifierTest {

    static final class MovableClock implements InstantSource {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void readyStatusAndWatchdogUntilTheLoopWedgesThenNoMorePingsAndStoppingOnClose() throws Exception {
        MovableClock clock = new MovableClock();
        AtomicReference<Outcome> next = new AtomicReference<>(Outcome.ok(false, "fine"));
        Reconciler r = new Reconciler() {
            @Override
            public String name() {
                return "wedge-me";
            }

            @Override
            public Outcome reconcile(dev.nodeagent.agent.reconcile.ReconcileContext context) {
                return next.get();
            }
        };
        StatusStore status = new StatusStore(clock, "n1", "worker", "test", List.of("wedge-me"));
        AgentMetrics metrics = new AgentMetrics("test", List.of("wedge-me"));
        Scheduler scheduler = new Scheduler(List.of(new ScheduledReconciler(r, Duration.ofMillis(50), Duration.ofSeconds(1))),
                new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT, clock, RandomGenerator.getDefault());
        CountDownLatch wedged = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        status.addListener(s -> {
            if (s.get("wedge-me").map(x -> x.reason().equals("Wedged")).orElse(false)) {
                wedged.countDown();
                try {
                    release.await(); // the loop thread stops here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (NotifyReceiver systemd = new NotifyReceiver(null)) {
            ServiceNotifier notifier = new ServiceNotifier(new SdNotify(systemd.notifySocket, Duration.ofMillis(100)),
                    status, scheduler);
            scheduler.start();
            notifier.start();

            String ready = systemd.await("READY=1", Duration.ofSeconds(10));
            assertNotNull(ready, "READY=1 after the first round");
            assertTrue(ready.contains("STATUS=1/1 ok"), ready);
            List<String> healthy = systemd.collect(Duration.ofMillis(1500));
            assertTrue(healthy.stream().filter("WATCHDOG=1"::equals).count() >= 3, "repeated pings: " + healthy);

            next.set(Outcome.waiting("Wedged", "about to block"));
            assertTrue(wedged.await(10, java.util.concurrent.TimeUnit.SECONDS), "the loop reached the wedge");
            assertEquals(Optional.empty(), scheduler.stalled(), "not stalled before its deadline");
            clock.now.set(clock.now.get().plusSeconds(60)); // past interval + timeout + grace
            assertTrue(scheduler.stalled().isPresent(), "the scheduler itself sees the stall");

            systemd.collect(Duration.ofMillis(500)); // a ping already in flight may still land
            List<String> afterWedge = systemd.collect(Duration.ofMillis(800));
            assertTrue(afterWedge.stream().noneMatch("WATCHDOG=1"::equals), "no pings once wedged: " + afterWedge);

            notifier.close();
            assertNotNull(systemd.await("STOPPING=1", Duration.ofSeconds(5)));
        } finally {
            release.countDown();
            scheduler.stop(Duration.ofSeconds(2));
            metrics.close();
        }
    }

    @Test
    void statusIsResentWhenTheSummaryChanges() throws Exception {
        InstantSource clock = InstantSource.system();
        AtomicReference<Outcome> next = new AtomicReference<>(Outcome.ok(false, "fine"));
        Reconciler r = new Reconciler() {
            @Override
            public String name() {
                return "flappy";
            }

            @Override
            public Outcome reconcile(dev.nodeagent.agent.reconcile.ReconcileContext context) {
                return next.get();
            }
        };
        StatusStore status = new StatusStore(clock, "n1", "worker", "test", List.of("flappy"));
        AgentMetrics metrics = new AgentMetrics("test", List.of("flappy"));
        Scheduler scheduler = new Scheduler(List.of(new ScheduledReconciler(r, Duration.ofMillis(50), Duration.ofSeconds(1))),
                new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT, clock, RandomGenerator.getDefault());
        try (NotifyReceiver systemd = new NotifyReceiver(null);
             ServiceNotifier notifier = new ServiceNotifier(new SdNotify(systemd.notifySocket, null), status, scheduler)) {
            scheduler.start();
            notifier.start();
            assertNotNull(systemd.await("READY=1", Duration.ofSeconds(10)));
            next.set(Outcome.waiting("CalicoMissing", "no calico"));
            assertEquals("STATUS=0/1 ok; flappy: CalicoMissing", systemd.await("STATUS=", Duration.ofSeconds(5)));
        } finally {
            scheduler.stop(Duration.ofSeconds(2));
            metrics.close();
        }
    }
}
