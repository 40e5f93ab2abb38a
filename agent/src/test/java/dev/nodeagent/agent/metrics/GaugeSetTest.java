package dev.nodeagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nodeagent.api.status.Check;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaugeSetTest {

    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void holdsExactlyTheSeriesOfTheLastReplace() {
        GaugeSet set = new GaugeSet(registry, "x_ok", "d", Tags.of("r", "a"), List.of("k"));
        set.replaceAll(Map.of(List.of("one"), 1.0, List.of("two"), 0.0));
        set.replaceAll(Map.of(List.of("one"), 0.0, List.of("three"), 1.0));
        assertEquals(0.0, registry.get("x_ok").tag("k", "one").gauge().value());
        assertEquals(1.0, registry.get("x_ok").tag("k", "three").gauge().value());
        assertEquals(0, registry.find("x_ok").tag("k", "two").gauges().size());
        set.clear();
        assertEquals(0, registry.find("x_ok").gauges().size());
    }

    @Test
    void wrongLabelCountIsABug() {
        GaugeSet set = new GaugeSet(registry, "x_ok", "d", Tags.empty(), List.of("k"));
        assertThrows(IllegalArgumentException.class, () -> set.replaceAll(Map.of(List.of("a", "b"), 1.0)));
    }

    @Test
    void checkMetricsKeepWarningsApartAndDropChecksThatDisappear() {
        CheckMetrics m = new CheckMetrics(registry);
        m.record("node-prereqs", List.of(Check.fail("net.ipv4.ip_forward", "0"), Check.warnIfNot(false, "swap", "on")));
        m.record("tailnet", List.of(Check.pass("MTU budget", "fits")));
        assertEquals(0.0, registry.get(CheckMetrics.NAME).tag("check", "net.ipv4.ip_forward")
                .tag("severity", "failure").gauge().value());
        assertEquals(0.0, registry.get(CheckMetrics.NAME).tag("check", "swap").tag("severity", "warning").gauge().value());
        m.record("node-prereqs", List.of(Check.pass("net.ipv4.ip_forward", "1")));
        assertEquals(1.0, registry.get(CheckMetrics.NAME).tag("check", "net.ipv4.ip_forward").gauge().value());
        assertEquals(0, registry.find(CheckMetrics.NAME).tag("check", "swap").gauges().size());
        assertEquals(1.0, registry.get(CheckMetrics.NAME).tag("reconciler", "tailnet").gauge().value(),
                "another reconciler's series are untouched");
    }
}
