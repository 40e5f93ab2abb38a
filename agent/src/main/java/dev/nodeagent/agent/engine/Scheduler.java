package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Outcome;

import dev.nodeagent.api.status.State;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every reconciler on its own virtual thread, so a slow API call never delays a file check: pass, then wait
 * the interval (jittered) or the backoff after a failure, or less when {@link #resync} wakes it. Each loop keeps a
 * deadline by which it must come round again; {@link #stalled} reports a loop past it (for {@code /healthz} and
 * the systemd watchdog).
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Slack on top of interval + timeout before a loop counts as stalled. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Map<String, Loop> loops = new LinkedHashMap<>();
    private final ReconcilerRunner runner;
    private final Backoff backoff;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final CountDownLatch firstRound;
    private volatile boolean running;

    public Scheduler(List<ScheduledReconciler> reconcilers, ReconcilerRunner runner, Backoff backoff,
                     InstantSource clock, RandomGenerator random) {
        this.runner = runner;
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
        reconcilers.forEach(r -> loops.put(r.name(), new Loop(r)));
        this.firstRound = new CountDownLatch(loops.size());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loops.values().forEach(l -> l.thread = Thread.ofVirtual().name("loop-" + l.scheduled.name()).start(l::run));
    }

    public List<String> names() {
        return List.copyOf(loops.keySet());
    }

    /**
     * Runs {@code name} as soon as its current pass (if any) is done; the future completes with the outcome of
     * that run. Unknown names fail the future with {@link IllegalArgumentException}.
     */
    public CompletableFuture<Outcome> resync(String name) {
        Loop loop = loops.get(name);
        if (loop == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown reconciler " + name));
        }
        return loop.requestRun();
    }

    /** Blocks until every reconciler finished its first pass, or the timeout passed. */
    public boolean awaitFirstRound(Duration timeout) throws InterruptedException {
        return firstRound.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Loops that are past the point by which they should have come round again; empty when all make progress. */
    public Optional<String> stalled() {
        Instant now = clock.instant();
        List<String> late = new ArrayList<>();
        loops.values().forEach(l -> {
            if (l.deadline != null && now.isAfter(l.deadline)) {
                late.add(l.scheduled.name());
            }
        });
        return late.isEmpty() ? Optional.empty() : Optional.of("no progress: " + String.join(", ", late));
    }

    /** Stops the loops: interrupts in-flight passes and waits at most {@code grace} for them to end. */
    public void stop(Duration grace) {
        running = false;
        loops.values().forEach(l -> {
            if (l.thread != null) {
                l.thread.interrupt();
            }
        });
        long deadline = System.nanoTime() + grace.toNanos();
        for (Loop l : loops.values()) {
            if (l.thread == null) {
                continue;
            }
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !l.thread.join(Duration.ofNanos(left))) {
                    LOG.warn("{}: pass still running at shutdown; abandoning it", l.scheduled.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private final class Loop {
        final ScheduledReconciler scheduled;
        final ReentrantLock lock = new ReentrantLock();
        final Condition wake = lock.newCondition();
        List<CompletableFuture<Outcome>> waiters = new ArrayList<>();
        boolean runRequested;
        volatile Instant deadline;
        Thread thread;

        Loop(ScheduledReconciler scheduled) {
            this.scheduled = scheduled;
        }

        CompletableFuture<Outcome> requestRun() {
            CompletableFuture<Outcome> f = new CompletableFuture<>();
            lock.lock();
            try {
                waiters.add(f);
                runRequested = true;
                wake.signalAll();
            } finally {
                lock.unlock();
            }
            return f;
        }

        void run() {
            boolean first = true;
            boolean forced = false;
            try {
                while (running) {
                    List<CompletableFuture<Outcome>> served = takeWaiters();
                    deadline = clock.instant().plus(scheduled.timeout()).plus(GRACE);
                    Outcome outcome = runner.run(scheduled, forced || !served.isEmpty());
                    served.forEach(f -> f.complete(outcome));
                    if (first) {
                        firstRound.countDown();
                        first = false;
                    }
                    Duration delay = outcome.state() == State.FAILED
                            ? backoff.afterFailures(Math.max(1, runner.consecutiveFailures(scheduled.name())),
                                    scheduled.interval(), random)
                            : backoff.interval(scheduled.interval(), random);
                    deadline = clock.instant().plus(delay).plus(scheduled.timeout()).plus(GRACE);
                    forced = sleep(delay);
                }
            } catch (InterruptedException e) {
                // stop() interrupts us; leave quietly
            } finally {
                if (first) {
                    firstRound.countDown();
                }
                takeWaiters().forEach(f -> f.cancel(false));
            }
        }

        /** Waits for the delay or a resync request; returns true when woken by a request. */
        private boolean sleep(Duration delay) throws InterruptedException {
            long nanos = delay.toNanos();
            lock.lock();
            try {
                while (!runRequested && nanos > 0) {
                    nanos = wake.awaitNanos(nanos);
                }
                boolean requested = runRequested;
                runRequested = false;
                return requested;
            } finally {
                lock.unlock();
            }
        }

        private List<CompletableFuture<Outcome>> takeWaiters() {
            lock.lock();
            try {
                List<CompletableFuture<Outcome>> w = waiters;
                waiters = new ArrayList<>();
                runRequested = false;
                return w;
            } finally {
                lock.unlock();
            }
        }
    }
}
