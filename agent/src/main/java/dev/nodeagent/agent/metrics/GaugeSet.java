package dev.nodeagent.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A family of gauges (one metric name, fixed label keys) whose series are exactly those of the last
 * {@link #replaceAll} call: values of series still present are updated, new ones registered, and series that
 * disappeared (a check or an endpoint removed from the config, a check skipped this pass) are removed from the
 * registry, so no stale value lingers in {@code /metrics}. Thread-safe.
 */
public final class GaugeSet {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Tags commonTags;
    private final List<String> labelKeys;
    /** Strong references to the values: Micrometer holds gauge objects weakly. */
    private final Map<List<String>, Series> series = new HashMap<>();

    public GaugeSet(MeterRegistry registry, String name, String description, Tags commonTags, List<String> labelKeys) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.commonTags = commonTags;
        this.labelKeys = List.copyOf(labelKeys);
    }

    /** Makes the family hold exactly {@code values} (label values in {@code labelKeys} order → value). */
    public synchronized void replaceAll(Map<List<String>, Double> values) {
        series.entrySet().removeIf(e -> {
            if (values.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        });
        values.forEach((labels, value) -> {
            if (labels.size() != labelKeys.size()) {
                throw new IllegalArgumentException(name + ": expected labels " + labelKeys + ", got " + labels);
            }
            series.computeIfAbsent(labels, this::register).value = value;
        });
    }

    /** Removes every series of this family. */
    public synchronized void clear() {
        replaceAll(Map.of());
    }

    private Series register(List<String> labels) {
        Series s = new Series();
        Tags tags = commonTags;
        for (int i = 0; i < labelKeys.size(); i++) {
            tags = tags.and(labelKeys.get(i), labels.get(i));
        }
        // A series registered earlier by another owner (an older instance of the same reconciler) would hand back
        // its gauge, bound to that owner's value; replace it so this set's values are the ones scraped.
        for (Gauge old : registry.find(name).tags(tags).gauges()) {
            if (old.getId().getTags().size() == tags.stream().count()) {
                registry.remove(old);
            }
        }
        s.gauge = Gauge.builder(name, s, x -> x.value).description(description).tags(tags).register(registry);
        return s;
    }

    private static final class Series {
        volatile double value;
        Gauge gauge;
    }
}
