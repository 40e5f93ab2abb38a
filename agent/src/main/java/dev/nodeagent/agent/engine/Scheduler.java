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
 * the interval (jittered) or the backoff after a failure, or less when {@link #resync} or a change to something it
 * {@linkplain dev.nodeagent.agent.reconcile.Reconciler#watches watches} wakes it. Watch events are debounced (a
 * short window, at least as long as the last pass, so a storm of events cannot keep a core busy) and coalesced
 * (events during a pass make one more pass, never a second one at once). Failure counts and backoff state live
 * here, per loop. Each loop keeps a deadline by which it must come round again; {@link #stalled} reports a loop
 * past it (for {@code /healthz} and the systemd watchdog).
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Slack on top of interval + timeout before a loop counts as stalled. */
    static final Duration GRACE = Duration.ofSeconds(10);
    /** Quiet time after a watch event before its pass, so a burst (a bundle swap, a kubelet emptying a dir) is one. */
    static final Duration DEBOUNCE = Duration.ofMillis(10);
    /** The longest debounce window, whatever the last pass took. */
    static final Duration MAX_DEBOUNCE = Duration.ofSeconds(1);

    private final Map<String, Loop> loops = new LinkedHashMap<>();
    private final ReconcilerRunner runner;
    private final Backoff backoff;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final CountDownLatch firstRound;
    private final Watchers watchers;
    private volatile boolean running;

    public Scheduler(List<ScheduledReconciler> reconcilers, ReconcilerRunner runner, Backoff backoff,
                     InstantSource clock, RandomGenerator random) {
        this(reconcilers, runner, backoff, clock, random, NetworkWatcher.COMMAND);
    }

    /** {@code networkCommand}: what prints a line per network change ({@code ip monitor …}; tests use a fake). */
    public Scheduler(List<ScheduledReconciler> reconcilers, ReconcilerRunner runner, Backoff backoff,
                     InstantSource clock, RandomGenerator random, List<String> networkCommand) {
        this.runner = runner;
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
        reconcilers.forEach(r -> loops.put(r.name(), new Loop(r)));
        this.firstRound = new CountDownLatch(loops.size());
        this.watchers = new Watchers(reconcilers, this::changed, networkCommand);
    }

    /** Sets the watches up (so no change after this returns is missed), then starts every loop. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        watchers.start();
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

    /** Something {@code name} watches changed: a pass soon (debounced), never two at once. */
    void changed(String name) {
        Loop loop = loops.get(name);
        if (loop != null) {
            loop.watchEvent();
        }
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
        watchers.close();
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
        boolean watchPending;
        volatile Instant deadline;
        Thread thread;
        /** Failed passes in a row: the backoff's input, and the context's consecutiveFailures. */
        int failures;
        Duration lastTook = Duration.ZERO;

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

        void watchEvent() {
            lock.lock();
            try {
                watchPending = true;
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            Trigger trigger = Trigger.START;
            boolean first = true;
            try {
                while (running) {
                    List<CompletableFuture<Outcome>> served = takeWaiters();
                    if (!served.isEmpty()) {
                        trigger = Trigger.RESYNC;
                    }
                    deadline = clock.instant().plus(scheduled.timeout()).plus(GRACE);
                    long t0 = System.nanoTime();
                    Outcome outcome = runner.run(scheduled, trigger, failures);
                    lastTook = Duration.ofNanos(System.nanoTime() - t0);
                    served.forEach(f -> f.complete(outcome));
                    if (first) {
                        firstRound.countDown();
                        first = false;
                    }
                    failures = outcome.state() == State.FAILED ? failures + 1 : 0;
                    Duration delay = failures > 0
                            ? backoff.afterFailures(failures, scheduled.interval(), random)
                            : backoff.interval(scheduled.interval(), random);
                    deadline = clock.instant().plus(delay).plus(scheduled.timeout()).plus(GRACE);
                    trigger = sleep(delay);
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

        /**
         * Waits for the delay, a resync request or a watch event (then for the debounce window, which a resync
         * cuts short); says which came first.
         */
        private Trigger sleep(Duration delay) throws InterruptedException {
            long nanos = delay.toNanos();
            lock.lock();
            try {
                while (!runRequested && !watchPending && nanos > 0) {
                    nanos = wake.awaitNanos(nanos);
                }
                if (!runRequested && watchPending) {
                    long window = Math.min(MAX_DEBOUNCE.toNanos(), Math.max(DEBOUNCE.toNanos(), lastTook.toNanos()));
                    while (!runRequested && window > 0) {
                        window = wake.awaitNanos(window);
                    }
                }
                if (runRequested) {
                    return Trigger.RESYNC;
                }
                return watchPending ? Trigger.WATCH : failures > 0 ? Trigger.RETRY : Trigger.INTERVAL;
            } finally {
                lock.unlock();
            }
        }

        /** At the start of a pass: the pass covers every request and event so far. */
        private List<CompletableFuture<Outcome>> takeWaiters() {
            lock.lock();
            try {
                List<CompletableFuture<Outcome>> w = waiters;
                waiters = new ArrayList<>();
                runRequested = false;
                watchPending = false;
                return w;
            } finally {
                lock.unlock();
            }
        }
    }
}
