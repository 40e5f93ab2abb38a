package dev.nodeagent.agent.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when told to. */
public final class FakeClock implements InstantSource {

    private final AtomicReference<Instant> now;

    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public FakeClock() {
        this(Instant.parse("2026-11-24T12:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    public Instant advance(Duration d) {
        return now.updateAndGet(t -> t.plus(d));
    }
}
