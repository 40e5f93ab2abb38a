package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pass of one reconciler: on its own virtual thread so it can be abandoned at the timeout, with
 * exceptions turned into {@code failed}, the result recorded into status and metrics, and a log line only when
 * something changed (state, reason, or a write on the host) so a healthy agent's journal stays quiet.
 */
public final class ReconcilerRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerRunner.class);

    private final StatusStore status;
    private final AgentMetrics metrics;
    private final InstantSource clock;
    /** Passes abandoned at their timeout but still running; a reconciler is never run twice at once. */
    private final Map<String, Thread> abandoned = new ConcurrentHashMap<>();

    public ReconcilerRunner(StatusStore status, AgentMetrics metrics, InstantSource clock) {
        this.status = status;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One pass outside the loop ({@code node-agent check}, tests): forced when {@code forced}, no failures before. */
    public Outcome run(ScheduledReconciler scheduled, boolean forced) throws InterruptedException {
        return run(scheduled, forced ? Trigger.RESYNC : Trigger.START, 0);
    }

    /**
     * One pass, started by {@code trigger} (counted in {@code node_agent_reconcile_trigger_total}; a resync is a
     * forced pass) after {@code failures} failed passes in a row, which the caller keeps.
     */
    public Outcome run(ScheduledReconciler scheduled, Trigger trigger, int failures) throws InterruptedException {
        String name = scheduled.name();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        metrics.recordTrigger(name, trigger.wire());
        Outcome outcome = attempt(scheduled, new ReconcileContext(started, trigger == Trigger.RESYNC, failures));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        ReconcilerStatus before = status.record(name, outcome, started, took);
        metrics.recordPass(name, outcome, took, clock.instant());
        logIfChanged(name, before, outcome);
        return outcome;
    }

    private Outcome attempt(ScheduledReconciler scheduled, ReconcileContext context) throws InterruptedException {
        String name = scheduled.name();
        Thread stuck = abandoned.get(name);
        if (stuck != null && stuck.isAlive()) {
            return Outcome.failed("StillRunning", "an earlier pass timed out and has not finished yet");
        }
        abandoned.remove(name);
        FutureTask<Outcome> task = new FutureTask<>(() -> scheduled.reconciler().reconcile(context));
        Thread thread = Thread.ofVirtual().name("reconcile-" + name).start(task);
        try {
            Outcome outcome = task.get(scheduled.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return outcome == null ? Outcome.failed("NoOutcome", "the reconciler returned no outcome") : outcome;
        } catch (TimeoutException e) {
            task.cancel(true);
            abandoned.put(name, thread);
            return Outcome.failed("Timeout", "the pass did not finish within " + scheduled.timeout().toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // The message of our own exceptions names files and checks, never key material.
            return Outcome.failed("Exception", cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        }
    }

    /** Logs a state change, a new failure reason, or a pass that changed the host; nothing for a steady state. */
    private static void logIfChanged(String name, ReconcilerStatus before, Outcome now) {
        boolean stateMoved = before.state() != now.state();
        boolean newProblem = now.state() != State.OK && !before.reason().equals(now.reason());
        if (!stateMoved && !newProblem && !now.changed()) {
            return;
        }
        String line = "{}: {} ({}) {}";
        switch (now.state()) {
            case FAILED -> LOG.warn(line, name, now.state().wire(), now.reason(), now.message());
            default -> LOG.info(line, name, now.state().wire(), now.reason(), now.message());
        }
    }
}
