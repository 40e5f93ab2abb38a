package dev.nodeagent.agent.control;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import dev.nodeagent.api.control.DaemonVersion;
import dev.nodeagent.api.control.ReconcilerResult;
import dev.nodeagent.api.status.ReconcilerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers one decoded request. Read-only ops read {@link StatusStore}; {@code resync} and {@code check} go
 * through {@link Scheduler#resync}, the one way back into the loop, so a forced pass is recorded, counted and
 * logged exactly like a scheduled one.
 */
public final class ControlHandler {

    /** Used when the client gives no timeout for a waiting request. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    /** A waiting request never holds a connection thread longer than this. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private final StatusStore status;
    private final Scheduler scheduler;
    private final String version;

    public ControlHandler(StatusStore status, Scheduler scheduler, String version) {
        this.status = status;
        this.scheduler = scheduler;
        this.version = version;
    }

    public ControlResponse handle(ControlRequest req) throws InterruptedException {
        if (req.v() != ControlProtocol.VERSION) {
            return ControlResponse.error(ControlProtocol.ERR_UNSUPPORTED_VERSION, "the daemon speaks control protocol "
                    + ControlProtocol.VERSION + ", the client sent " + req.v() + "; use the agentctl that came with this node-agent");
        }
        return switch (req.op()) {
            case ControlProtocol.OP_STATUS -> ControlResponse.ofStatus(status.snapshot());
            case ControlProtocol.OP_VERSION -> ControlResponse.ofVersion(new DaemonVersion(version,
                    Runtime.version().toString(), ControlProtocol.VERSION, ProcessHandle.current().pid(),
                    status.snapshot().node()));
            case ControlProtocol.OP_RESYNC -> resync(req.names(), req.await(), req.timeoutMillis(), false);
            case ControlProtocol.OP_CHECK -> resync(List.of(), true, req.timeoutMillis(), true);
            default -> ControlResponse.error(ControlProtocol.ERR_UNKNOWN_OP,
                    "unknown op '" + req.op() + "'; expected one of " + ControlProtocol.OPS);
        };
    }

    private ControlResponse resync(List<String> requested, boolean wait, long timeoutMillis, boolean withChecks)
            throws InterruptedException {
        List<String> valid = scheduler.names();
        List<String> unknown = requested.stream().filter(n -> !valid.contains(n)).distinct().toList();
        if (!unknown.isEmpty()) {
            return ControlResponse.unknownNames("unknown reconciler" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; valid: " + String.join(", ", valid), valid);
        }
        List<String> names = requested.isEmpty() ? valid : requested.stream().distinct().toList();
        Map<String, CompletableFuture<Outcome>> futures = new LinkedHashMap<>();
        names.forEach(n -> futures.put(n, scheduler.resync(n)));
        List<ReconcilerResult> results = new ArrayList<>();
        if (!wait) {
            names.forEach(n -> results.add(new ReconcilerResult(n, ReconcilerResult.REQUESTED, "", "pass requested",
                    false, lastRunAt(n), null)));
            return ControlResponse.ofResults(results);
        }
        Duration timeout = timeoutMillis <= 0 ? DEFAULT_WAIT : Duration.ofMillis(Math.min(timeoutMillis, MAX_WAIT.toMillis()));
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var e : futures.entrySet()) {
            results.add(await(e.getKey(), e.getValue(), Math.max(0, deadline - System.nanoTime()), timeout, withChecks));
        }
        return ControlResponse.ofResults(results);
    }

    private ReconcilerResult await(String name, CompletableFuture<Outcome> f, long nanosLeft, Duration timeout,
                                   boolean withChecks) throws InterruptedException {
        try {
            Outcome o = f.get(nanosLeft, TimeUnit.NANOSECONDS);
            return new ReconcilerResult(name, o.state().wire(), o.reason(), o.message(), o.changed(), lastRunAt(name),
                    withChecks ? o.checks() : null);
        } catch (TimeoutException e) {
            return new ReconcilerResult(name, ReconcilerResult.TIMEOUT, "Timeout",
                    "the pass did not finish within " + timeout.toMillis() + " ms (it still runs)", false, lastRunAt(name), null);
        } catch (CancellationException e) {
            return new ReconcilerResult(name, "failed", "Stopped", "the agent is shutting down", false, lastRunAt(name), null);
        } catch (ExecutionException e) {
            return new ReconcilerResult(name, "failed", "Exception", String.valueOf(e.getCause()), false, lastRunAt(name), null);
        }
    }

    private Instant lastRunAt(String name) {
        return status.get(name).map(ReconcilerStatus::lastRunAt).orElse(null);
    }
}
