package dev.nodeagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "''{0}'' is {1} ms")
    @CsvSource({"500ms,500", "30s,30000", "5m,300000", "1h30m,5400000", "2d,172800000", "1h0m5s,3605000", "0s,0"})
    void parsesOperatorDurations(String text, long millis) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(text));
        assertEquals(Duration.ofMillis(millis), Durations.parse(Durations.format(Duration.ofMillis(millis))).orElseThrow());
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @CsvSource({"10", "ten seconds", "10 s", "s", "-5s", "1.5s", "5m extra", "''"})
    void rejectsAnythingElse(String text) {
        assertEquals(Optional.empty(), Durations.parse(text));
    }
}
