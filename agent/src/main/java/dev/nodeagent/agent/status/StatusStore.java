package dev.nodeagent.agent.status;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What each reconciler last did. {@code lastTransitionAt} moves only when the state moves (Kubernetes condition
 * semantics). Health is STARTING until every reconciler has run once, then READY, or DEGRADED while any is failed.
 * Thread-safe; readers get immutable snapshots. Listeners hear about every state or reason change.
 */
public final class StatusStore {

    private final InstantSource clock;
    private final String node;
    private final String role;
    private final String version;
    private final Instant startedAt;
    private final List<String> order;
    private final Map<String, ReconcilerStatus> byName = new ConcurrentHashMap<>();
    private final List<Consumer<StatusStore>> listeners = new CopyOnWriteArrayList<>();

    public StatusStore(InstantSource clock, String node, String role, String version, List<String> names) {
        this.clock = clock;
        this.node = node;
        this.role = role;
        this.version = version;
        this.startedAt = clock.instant();
        this.order = List.copyOf(names);
        names.forEach(n -> byName.put(n, ReconcilerStatus.pending(n)));
    }

    /** Records a finished pass and returns the status before it. */
    public ReconcilerStatus record(String name, Outcome outcome, Instant passStartedAt, Duration duration) {
        Instant now = clock.instant();
        ReconcilerStatus[] before = new ReconcilerStatus[1];
        byName.compute(name, (n, prev) -> {
            prev = prev == null ? ReconcilerStatus.pending(n) : prev;
            before[0] = prev;
            State state = outcome.state();
            return new ReconcilerStatus(n, state, outcome.reason(), outcome.message(),
                    passStartedAt,
                    state == State.OK ? now : prev.lastSuccessAt(),
                    state != prev.state() ? now : prev.lastTransitionAt(),
                    state == State.FAILED ? prev.consecutiveFailures() + 1 : 0,
                    duration.toNanos() / 1e9,
                    outcome.checks(), outcome.details());
        });
        ReconcilerStatus after = byName.get(name);
        if (after.state() != before[0].state() || !after.reason().equals(before[0].reason())) {
            listeners.forEach(l -> l.accept(this));
        }
        return before[0];
    }

    public Optional<ReconcilerStatus> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return order;
    }

    public AgentStatus snapshot() {
        List<ReconcilerStatus> all = order.stream().map(byName::get).toList();
        return new AgentStatus(node, role, version, startedAt, health(all), all);
    }

    public Health health() {
        return health(order.stream().map(byName::get).toList());
    }

    /** Empty when ready; otherwise one line saying why not (for {@code /readyz}). */
    public Optional<String> notReadyReason() {
        List<ReconcilerStatus> all = order.stream().map(byName::get).toList();
        List<String> pending = all.stream().filter(s -> s.state() == State.PENDING).map(ReconcilerStatus::name).toList();
        if (!pending.isEmpty()) {
            return Optional.of("not run yet: " + String.join(", ", pending));
        }
        List<String> failed = all.stream().filter(s -> s.state() == State.FAILED)
                .map(s -> s.name() + " (" + s.reason() + ")").toList();
        return failed.isEmpty() ? Optional.empty() : Optional.of("failed: " + String.join(", ", failed));
    }

    /** One line for systemd's STATUS=: {@code 5/6 ok; cert-bundle: NotEncryptedToHost}. */
    public String summary() {
        List<ReconcilerStatus> all = order.stream().map(byName::get).toList();
        long ok = all.stream().filter(s -> s.state() == State.OK).count();
        StringBuilder sb = new StringBuilder().append(ok).append('/').append(all.size()).append(" ok");
        for (ReconcilerStatus s : all) {
            if (s.state() == State.FAILED || s.state() == State.WAITING) {
                sb.append("; ").append(s.name()).append(": ").append(s.reason());
            }
        }
        return sb.toString();
    }

    public void addListener(Consumer<StatusStore> listener) {
        listeners.add(listener);
    }

    private static Health health(List<ReconcilerStatus> all) {
        if (all.stream().anyMatch(s -> s.state() == State.PENDING)) {
            return Health.STARTING;
        }
        return all.stream().anyMatch(s -> s.state() == State.FAILED) ? Health.DEGRADED : Health.READY;
    }
}
