package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Reconciler;

import java.time.Duration;

/** A reconciler with the interval and per-pass timeout it runs with. */
public record ScheduledReconciler(Reconciler reconciler, Duration interval, Duration timeout) {

    public String name() {
        return reconciler.name();
    }
}
