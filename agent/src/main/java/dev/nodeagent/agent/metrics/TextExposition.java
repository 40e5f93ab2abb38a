package dev.nodeagent.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Prometheus text format 0.0.4 written straight from a {@code PrometheusMeterRegistry}'s meters, byte for byte
 * what {@code PrometheusMeterRegistry.scrape()} writes, at a fraction of its cost.
 *
 * <p>The registry's own scrape builds the Prometheus client's snapshot model on every call (a collector per name,
 * streams, {@code Labels.of} with name validation and sorting, families in a HashMap, then a sort of families and
 * data points) and then a text writer walks it through a {@code BufferedWriter}: ≈1.3 ms of C1 code and ≈300 KB
 * of garbage per scrape for ~240 lines. None of that changes between scrapes unless a meter comes or goes, so here
 * it happens once per change of the meter set (a listener on the registry marks the layout stale): every family's
 * {@code # HELP}/{@code # TYPE} lines and every sample's name and labels are kept as UTF-8 bytes, in the order the
 * registry's scrape uses (families by name, data points by their label names, then values), and a scrape only reads
 * the values and formats the numbers.
 *
 * <p>What it mirrors from Micrometer 1.17 / Prometheus client 1.7 ({@code PrometheusMeterRegistry},
 * {@code MicrometerCollector}, {@code PrometheusTextFormatWriter}): family names from the registry's naming
 * convention; counters with {@code _total}; timers, long task timers and distribution summaries as a summary
 * ({@code _count}, {@code _sum}) plus a {@code <name>_max} gauge family; function timers as a summary; a help text
 * of {@code " "} for a meter without a description; label values with {@code \\}, {@code "} and newline escaped,
 * help texts with {@code \\} and newline; numbers as {@link Double#toString} writes them, except {@code +Inf} and
 * {@code -Inf}, and counts as longs. Families registered on the underlying Prometheus registry directly (the build
 * info) are handed in with {@link #addFixedFamily} and rendered once.
 *
 * <p>Anything else makes {@link #write} return false, and the caller falls back to the registry's scrape: a timer
 * or summary with percentiles or histogram buckets, a custom {@code Meter}, a gauge named {@code *.info}, two
 * meters mapping to one Prometheus name with different Micrometer names or types (the registry drops the later one),
 * colliding family names, descriptions that differ within a family, duplicate label sets, a negative counter (the
 * registry's scrape fails on it). The agent registers none of those.
 *
 * <p>Thread-safe: scrapes take turns.
 */
final class TextExposition {


    private final MeterRegistry registry;
    private final List<FixedFamily> fixed = new ArrayList<>();
    /** Set by the registry's listeners when a meter comes or goes; cleared when the layout is rebuilt. */
    private volatile boolean stale = true;
    /** Null when the meter set holds something this class does not write (see the class comment). */
    private Layout layout;
    private final ExpositionBuffer buf = new ExpositionBuffer(32 * 1024);
    /** One scrape at a time (a lock, not synchronized: scrapes run on virtual threads and gauges may block). */
    private final ReentrantLock lock = new ReentrantLock();

    TextExposition(MeterRegistry registry) {
        this.registry = registry;
        registry.config().onMeterAdded(m -> stale = true);
        registry.config().onMeterRemoved(m -> stale = true);
    }

    /**
     * An info family registered on the underlying Prometheus registry (not a Micrometer meter): its lines never
     * change, so they are rendered here once ({@code <name>_info{labels} 1} under a gauge header, as the Prometheus
     * writer does).
     */
    void addFixedFamily(InfoSnapshot snapshot) {
        String name = snapshot.getMetadata().getPrometheusName();
        Builder b = new Builder(name, "gauge", "_info",
                snapshot.getMetadata().getHelp() == null ? "" : snapshot.getMetadata().getHelp());
        StringBuilder lines = new StringBuilder();
        for (InfoSnapshot.InfoDataPointSnapshot p : snapshot.getDataPoints()) {
            String[] names = new String[p.getLabels().size()];
            String[] values = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = p.getLabels().getPrometheusName(i);
                values[i] = p.getLabels().getValue(i);
            }
            lines.append(new String(b.prefix(new Labels(names, values), "_info"), StandardCharsets.UTF_8))
                    .append("1\n");
        }
        byte[] header = b.header();
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        lock.lock();
        try {
            fixed.add(new FixedFamily(name, snapshot.getDataPoints().isEmpty() ? new byte[0] : all));
            stale = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the whole exposition and returns it as a new array, or returns null when the registry holds a meter
     * this class does not handle (then nothing was written; use the registry's own scrape).
     */
    byte[] write() {
        lock.lock();
        try {
            if (stale) {
                stale = false; // before reading the meters: a meter added meanwhile marks it stale again
                layout = Layout.of(registry, fixed);
            }
            if (layout == null) {
                return null;
            }
            buf.reset();
            if (!layout.write(buf)) {
                return null;
            }
            return Arrays.copyOf(buf.bytes, buf.size);
        } finally {
            lock.unlock();
        }
    }

    // ---- layout: what a change of the meter set recomputes ----

    private record FixedFamily(String name, byte[] lines) {
    }

    /** The families in scrape order and the distribution meters whose statistics one scrape reads once. */
    private record Layout(Family[] families, Dist[] dists) {

        boolean write(ExpositionBuffer out) {
            for (Dist d : dists) {
                d.read();
            }
            for (Family f : families) {
                if (!f.write(out)) {
                    return false;
                }
            }
            return true;
        }

        static Layout of(MeterRegistry registry, List<FixedFamily> fixed) {
            NamingConvention naming = registry.config().namingConvention();
            Map<String, Meter.Id> byConventionName = new HashMap<>();
            Map<String, Builder> families = new TreeMap<>(); // String order, as MetricSnapshots sorts by name
            List<Dist> dists = new ArrayList<>();
            for (Meter meter : registry.getMeters()) {
                Meter.Id id = meter.getId();
                String name = id.getConventionName(naming);
                Meter.Id first = byConventionName.putIfAbsent(name, id);
                if (first != null && (!first.getName().equals(id.getName()) || first.getType() != id.getType())) {
                    return null; // the registry keeps only the first meter for this name
                }
                List<Tag> keys = id.getConventionTags(naming);
                List<Tag> raw = id.getTags();
                String[] names = new String[keys.size()];
                String[] values = new String[keys.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = keys.get(i).getKey();
                    values[i] = raw.get(i).getValue(); // Micrometer passes raw tag values, convention keys
                }
                Labels labels = Labels.sorted(names, values);
                if (labels == null) {
                    return null;
                }
                String help = id.getDescription() != null ? id.getDescription() : " ";
                if (meter instanceof Gauge g) { // also TimeGauge
                    if (id.getName().endsWith(".info")) {
                        return null; // an info family
                    }
                    Builder b = family(families, name, "gauge", "", help);
                    if (b == null) {
                        return null;
                    }
                    b.add(labels, new GaugeSample(b.prefix(labels, ""), g));
                } else if (meter instanceof Counter c) {
                    Builder b = family(families, name, "counter", "_total", help);
                    if (b == null) {
                        return null;
                    }
                    b.add(labels, new CounterSample(b.prefix(labels, "_total"), c::count));
                } else if (meter instanceof FunctionCounter c) {
                    Builder b = family(families, name, "counter", "_total", help);
                    if (b == null) {
                        return null;
                    }
                    b.add(labels, new CounterSample(b.prefix(labels, "_total"), c::count));
                } else if (meter instanceof FunctionTimer t) {
                    if (labels.has("quantile")) {
                        return null;
                    }
                    Dist d = new FunctionTimerDist(t);
                    dists.add(d);
                    Builder b = family(families, name, "summary", "", help);
                    if (b == null) {
                        return null;
                    }
                    b.add(labels, new SummarySample(b.prefix(labels, "_count"), b.prefix(labels, "_sum"), d));
                } else if (meter instanceof Timer || meter instanceof LongTaskTimer
                        || meter instanceof DistributionSummary) {
                    HistogramSupport h = (HistogramSupport) meter;
                    HistogramSnapshot probe = h.takeSnapshot();
                    if (probe.percentileValues().length > 0 || probe.histogramCounts().length > 0
                            || labels.has("quantile")) {
                        return null; // quantile lines or a histogram: left to the registry
                    }
                    Dist d = meter instanceof DistributionSummary s ? new SummaryDist(s) : new SnapshotDist(h);
                    dists.add(d);
                    Builder b = family(families, name, "summary", "", help);
                    Builder max = family(families, name + "_max", "gauge", "", help);
                    if (b == null || max == null) {
                        return null;
                    }
                    b.add(labels, new SummarySample(b.prefix(labels, "_count"), b.prefix(labels, "_sum"), d));
                    max.add(labels, new MaxSample(max.prefix(labels, ""), d));
                } else {
                    return null; // a custom Meter
                }
            }
            List<Family> out = new ArrayList<>();
            Set<String> fixedNames = new HashSet<>();
            for (FixedFamily f : fixed) {
                if (families.containsKey(f.name()) || !fixedNames.add(f.name())) {
                    return null;
                }
            }
            Map<String, Family> all = new TreeMap<>();
            for (Builder b : families.values()) {
                Family f = b.build();
                if (f == null) {
                    return null;
                }
                all.put(b.name, f);
            }
            for (FixedFamily f : fixed) {
                all.put(f.name(), new Fixed(f.lines()));
            }
            out.addAll(all.values());
            return new Layout(out.toArray(Family[]::new), dists.toArray(Dist[]::new));
        }

        /** The family's builder, or null when {@code name} is already a family of another type or help text. */
        private static Builder family(Map<String, Builder> families, String name, String type, String suffix,
                                      String help) {
            Builder b = families.computeIfAbsent(name, n -> new Builder(n, type, suffix, help));
            return b.type.equals(type) && b.help.equals(help) ? b : null;
        }
    }

    /** Label names (convention keys, sorted) and raw values of one data point; ordered like Prometheus' Labels. */
    private record Labels(String[] names, String[] values) implements Comparable<Labels> {

        /** Sorted by name as {@code Labels.of} does, or null when two keys map to one name. */
        static Labels sorted(String[] names, String[] values) {
            Integer[] order = new Integer[names.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(i -> names[i]));
            String[] n = new String[names.length];
            String[] v = new String[names.length];
            for (int i = 0; i < order.length; i++) {
                n[i] = names[order[i]];
                v[i] = values[order[i]];
                if (i > 0 && n[i].equals(n[i - 1])) {
                    return null;
                }
            }
            return new Labels(n, v);
        }

        boolean has(String name) {
            return Arrays.asList(names).contains(name);
        }

        @Override
        public int compareTo(Labels o) {
            int c = compare(names, o.names);
            return c != 0 ? c : compare(values, o.values);
        }

        /** Prometheus' {@code Labels.compare}: element by element, then the shorter array first. */
        private static int compare(String[] a, String[] b) {
            for (int i = 0; i < a.length; i++) {
                if (b.length <= i) {
                    return 1;
                }
                int c = a[i].compareTo(b[i]);
                if (c != 0) {
                    return c;
                }
            }
            return b.length > a.length ? -1 : 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Labels l && Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(names), Arrays.hashCode(values));
        }
    }

    private static final class Builder {
        final String name;
        final String type;
        final String suffix;
        final String help;
        final List<Labels> labels = new ArrayList<>();
        final List<Sample> samples = new ArrayList<>();

        Builder(String name, String type, String suffix, String help) {
            this.name = name;
            this.type = type;
            this.suffix = suffix;
            this.help = help;
        }

        void add(Labels l, Sample s) {
            labels.add(l);
            samples.add(s);
        }

        /** {@code name+suffix{k="v",...} } as UTF-8. */
        byte[] prefix(Labels l, String sampleSuffix) {
            StringBuilder sb = new StringBuilder(name).append(sampleSuffix);
            if (l.names().length > 0) {
                sb.append('{');
                for (int i = 0; i < l.names().length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(l.names()[i]).append("=\"");
                    escapeLabelValue(sb, l.values()[i]);
                    sb.append('"');
                }
                sb.append('}');
            }
            return sb.append(' ').toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Null when two data points have the same labels (the registry's scrape fails then). */
        Family build() {
            Integer[] order = new Integer[samples.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(labels::get)); // stable, like List.sort
            Sample[] sorted = new Sample[order.length];
            for (int i = 0; i < order.length; i++) {
                sorted[i] = samples.get(order[i]);
                if (i > 0 && labels.get(order[i]).equals(labels.get(order[i - 1]))) {
                    return null;
                }
            }
            byte[] header = header();
            return type.equals("summary") ? new SummaryFamily(header, sorted) : new Plain(header, sorted);
        }

        /** The {@code # HELP} (when there is a help text) and {@code # TYPE} lines. */
        byte[] header() {
            StringBuilder h = new StringBuilder();
            String full = name + suffix;
            if (!help.isEmpty()) {
                h.append("# HELP ").append(full).append(' ');
                for (int i = 0; i < help.length(); i++) {
                    char c = help.charAt(i);
                    switch (c) {
                        case '\\' -> h.append("\\\\");
                        case '\n' -> h.append("\\n");
                        default -> h.append(c);
                    }
                }
                h.append('\n');
            }
            h.append("# TYPE ").append(full).append(' ').append(type).append('\n');
            return h.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void escapeLabelValue(StringBuilder sb, String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
        }
    }

    // ---- families and samples: what a scrape runs ----

    private interface Family {
        /** False when a value cannot be written (see {@link CounterSample}). */
        boolean write(ExpositionBuffer out);
    }

    private record Fixed(byte[] lines) implements Family {
        @Override
        public boolean write(ExpositionBuffer out) {
            out.write(lines);
            return true;
        }
    }

    private record Plain(byte[] header, Sample[] samples) implements Family {
        @Override
        public boolean write(ExpositionBuffer out) {
            out.write(header);
            for (Sample s : samples) {
                if (!s.write(out)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A summary's header is written only when one of its data points has a count or a sum, like the writer's. */
    private record SummaryFamily(byte[] header, Sample[] samples) implements Family {
        @Override
        public boolean write(ExpositionBuffer out) {
            boolean headerWritten = false;
            for (Sample s : samples) {
                SummarySample ss = (SummarySample) s;
                if (!ss.present()) {
                    continue;
                }
                if (!headerWritten) {
                    out.write(header);
                    headerWritten = true;
                }
                ss.write(out);
            }
            return true;
        }
    }

    private interface Sample {
        boolean write(ExpositionBuffer out);
    }

    private record GaugeSample(byte[] prefix, Gauge gauge) implements Sample {
        @Override
        public boolean write(ExpositionBuffer out) {
            out.write(prefix);
            out.writeDouble(gauge.value());
            out.newline();
            return true;
        }
    }

    /** The registry's scrape throws on a negative counter; returning false hands that case to it. */
    private record CounterSample(byte[] prefix, java.util.function.DoubleSupplier count) implements Sample {
        @Override
        public boolean write(ExpositionBuffer out) {
            double v = count.getAsDouble();
            if (v < 0) {
                return false;
            }
            out.write(prefix);
            out.writeDouble(v);
            out.newline();
            return true;
        }
    }

    private record SummarySample(byte[] countPrefix, byte[] sumPrefix, Dist dist) implements Sample {
        boolean present() {
            return dist.count >= 0 || !Double.isNaN(dist.sum);
        }

        @Override
        public boolean write(ExpositionBuffer out) {
            if (dist.count >= 0) {
                out.write(countPrefix);
                out.writeLong(dist.count);
                out.newline();
            }
            if (!Double.isNaN(dist.sum)) {
                out.write(sumPrefix);
                out.writeDouble(dist.sum);
                out.newline();
            }
            return true;
        }
    }

    private record MaxSample(byte[] prefix, Dist dist) implements Sample {
        @Override
        public boolean write(ExpositionBuffer out) {
            out.write(prefix);
            out.writeDouble(dist.max);
            out.newline();
            return true;
        }
    }

    /** Count, sum and max of one distribution meter, read once per scrape for its summary and its _max family. */
    private abstract static class Dist {
        long count;
        double sum;
        double max;

        abstract void read();
    }

    /** Timers and long task timers: one snapshot, in seconds, as the registry does. */
    private static final class SnapshotDist extends Dist {
        private final HistogramSupport meter;

        SnapshotDist(HistogramSupport meter) {
            this.meter = meter;
        }

        @Override
        void read() {
            HistogramSnapshot s = meter.takeSnapshot();
            count = s.count();
            sum = s.total(TimeUnit.SECONDS);
            max = s.max(TimeUnit.SECONDS);
        }
    }

    /** Distribution summaries: the registry reads count, total and max from the meter itself. */
    private static final class SummaryDist extends Dist {
        private final DistributionSummary meter;

        SummaryDist(DistributionSummary meter) {
            this.meter = meter;
        }

        @Override
        void read() {
            count = meter.count();
            sum = meter.totalAmount();
            max = meter.max();
        }
    }

    private static final class FunctionTimerDist extends Dist {
        private final FunctionTimer meter;

        FunctionTimerDist(FunctionTimer meter) {
            this.meter = meter;
        }

        @Override
        void read() {
            count = (long) meter.count();
            sum = meter.totalTime(TimeUnit.SECONDS);
        }
    }
}
