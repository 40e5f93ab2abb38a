package dev.nodeagent.agent.config;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * What the loader needs to know about one {@code reconcilers.<key>} section: its key, defaults, and the parser of
 * its own settings. Each reconciler declares one; the loader rejects keys no section claims.
 */
public record ConfigSection<S>(
        String key,
        Duration defaultInterval,
        Duration defaultTimeout,
        Predicate<Role> enabledByDefault,
        ReconcilerSettingsParser<S> parser) {
}
