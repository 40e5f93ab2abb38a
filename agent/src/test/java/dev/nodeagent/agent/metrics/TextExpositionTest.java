package dev.nodeagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.Check;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fast text writer against {@code PrometheusMeterRegistry.scrape()}: the same text, byte for byte. */
class TextExpositionTest {

    MockClock clock = new MockClock();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
            clock);
    TextExposition text = new TextExposition(registry);
    /** Gauge objects: Micrometer holds them weakly. */
    List<Object> keep = new ArrayList<>();
    AgentMetrics agent;

    @AfterEach
    void close() {
        registry.close();
        if (agent != null) {
            agent.close();
        }
    }

    private String fast() {
        byte[] bytes = text.write();
        assertNotNull(bytes, "the fast writer handled the registry");
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void gauge(String name, double value, String... tags) {
        double[] v = {value};
        keep.add(v);
        Gauge.builder(name, v, a -> a[0]).description("Values of every shape.").tags(tags).register(registry);
    }

    @Test
    void everyMeterTypeIsWrittenAsTheRegistryWritesIt() {
        // numbers: Double.toString's shapes, infinities, NaN, negative zero
        double[] values = {0, -0.0, 1, -1, 0.1, 1e-3, 9.99e-4, 1e-5, 123.456, 9_999_999, 10_000_000, 12_000_000,
            44_761_088, 1.795528244E9, 1L << 53, (1L << 53) + 2, -(1L << 52) - 1, 1e21, 1e300, Double.MIN_VALUE,
            Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.13042400296424309};
        for (int i = 0; i < values.length; i++) {
            gauge("shapes", values[i], "i", String.format("%02d", i));
        }
        // label values that need escaping, non-ASCII, empty; keys that sort differently once sanitised
        gauge("escapes", 1, "path", "C:\\dir\\\"quoted\"\nnext line", "name", "grün ✓", "empty", "");
        gauge("sanitised", 2, "a.z", "1", "a_b", "2", "b-c", "3");
        // help texts: none (" "), empty (no HELP line), with a backslash and a newline
        Gauge.builder("no.description", () -> 3).register(registry);
        Gauge.builder("empty.description", () -> 4).description("").register(registry);
        Gauge.builder("escaped.description", () -> 5).description("a \\ backslash,\na newline, \"quotes\"")
                .baseUnit("bytes").register(registry);
        // families whose data points sort by label values, then by more labels
        for (String v : List.of("b", "a", "c", "aa", "B", "")) {
            gauge("sorted", v.length(), "k", v);
        }
        AtomicLong millis = new AtomicLong(1500);
        keep.add(millis);
        TimeGauge.builder("time.gauge", millis, TimeUnit.MILLISECONDS, AtomicLong::get).description("A time gauge.")
                .register(registry);
        Counter c = Counter.builder("events").description("Events.").tag("kind", "x").register(registry);
        c.increment(2.5);
        Counter.builder("events").description("Events.").tag("kind", "a").register(registry).increment();
        Counter.builder("things.total").description("Suffix stripped, then added.").register(registry);
        AtomicLong fc = new AtomicLong(7);
        keep.add(fc);
        FunctionCounter.builder("function.counter", fc, AtomicLong::get).baseUnit("bytes")
                .description("A function counter.").register(registry);
        Timer t = Timer.builder("request.duration").description("Requests.").tag("uri", "/b").register(registry);
        t.record(Duration.ofMillis(1500));
        t.record(Duration.ofNanos(123_456_789));
        Timer.builder("request.duration").description("Requests.").tag("uri", "/a").register(registry);
        Timer.builder("undescribed.timer").register(registry).record(Duration.ofSeconds(3));
        AtomicLong ftCount = new AtomicLong(3);
        keep.add(ftCount);
        FunctionTimer.builder("function.timer", ftCount, AtomicLong::get, x -> 2500.0, TimeUnit.MILLISECONDS)
                .description("A function timer.").register(registry);
        DistributionSummary s = DistributionSummary.builder("payload").baseUnit("bytes").description("Payloads.")
                .register(registry);
        s.record(100);
        s.record(1e6);
        LongTaskTimer ltt = LongTaskTimer.builder("long.task").description("Long tasks.").register(registry);
        ltt.start();
        clock.add(Duration.ofSeconds(2));
        InfoSnapshot info = InfoSnapshot.builder().name("build").help("Build info.")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", "1\"2")).build())
                .build();
        registry.getPrometheusRegistry().register(() -> info);
        text.addFixedFamily(info);

        String expected = registry.scrape();
        assertTrue(expected.contains("shapes{i=\"22\"} +Inf"), expected); // the fixture covers what it should
        assertTrue(expected.contains("long_task_seconds_max 2.0"), expected);
        assertTrue(expected.contains("# HELP no_description  \n"), expected);
        assertEquals(expected, fast());
        assertEquals(expected, fast()); // a second scrape from the same layout

        // values change without a new layout
        c.increment();
        t.record(Duration.ofMillis(10));
        millis.set(2);
        assertEquals(registry.scrape(), fast());

        // meters come and go: a new series of an existing family, a new family, a removed series and family
        Counter.builder("events").description("Events.").tag("kind", "new").register(registry).increment(3);
        gauge("a.new.family", 42, "k", "v");
        registry.remove(t);
        registry.remove(registry.get("things.total").counter());
        expected = registry.scrape();
        assertTrue(expected.contains("events_total{kind=\"new\"} 3.0"), expected);
        assertTrue(!expected.contains("things_total"), expected);
        assertEquals(expected, fast());
    }

    @Test
    void handsBackWhatItDoesNotWrite() {
        gauge("plain", 1);
        assertNotNull(text.write());
        Timer withPercentiles = Timer.builder("percentiles").publishPercentiles(0.5).register(registry);
        assertNull(text.write(), "quantile lines are left to the registry");
        registry.remove(withPercentiles);
        assertNotNull(text.write());
        Meter custom = Meter.builder("custom", Meter.Type.OTHER, List.of()).register(registry);
        assertNull(text.write(), "a custom meter is left to the registry");
        registry.remove(custom);
        AtomicLong negative = new AtomicLong(-1);
        keep.add(negative);
        FunctionCounter.builder("negative", negative, AtomicLong::get).register(registry);
        assertNull(text.write(), "the registry's scrape fails on a negative counter; so does its fallback");
        negative.set(1);
        assertEquals(registry.scrape(), fast());
    }

    @Test
    void doublesAreFormattedAsDoubleToString() {
        Random r = new Random(42);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            values.add((double) (r.nextLong() >> r.nextInt(64))); // whole numbers of every magnitude
            values.add(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            values.add(Double.longBitsToDouble(r.nextLong()));
        }
        for (long p = 1; p > 0 && p < Long.MAX_VALUE / 10; p *= 10) {
            for (long d = -2; d <= 2; d++) {
                values.add((double) (p + d));
                values.add((double) (-p + d));
                values.add((double) (p * 3));
            }
        }
        ExpositionBuffer buf = new ExpositionBuffer(16);
        for (double d : values) {
            buf.reset();
            buf.writeDouble(d);
            String expected = d == Double.POSITIVE_INFINITY ? "+Inf"
                    : d == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(d);
            assertEquals(expected, new String(buf.bytes, 0, buf.size, StandardCharsets.US_ASCII), "bits of " + d);
        }
        buf.reset();
        buf.writeLong(Long.MIN_VALUE);
        buf.writeLong(0);
        buf.writeLong(-12);
        assertEquals(Long.MIN_VALUE + "0-12", new String(buf.bytes, 0, buf.size, StandardCharsets.US_ASCII));
    }

    /** Values of the JVM's own meters move between two scrapes: those lines are compared up to the value. */
    private static final Pattern MOVING = Pattern.compile(
            "^(jvm_|process_|system_).*|^node_agent_reconcile_duration_seconds_max.*");

    /** Compares a fresh pair of scrapes; tries again when a meter appeared in between (a first GC of a kind). */
    private void assertSameExposition() throws Exception {
        PrometheusMeterRegistry real = (PrometheusMeterRegistry) agent.registry();
        for (int attempt = 1; ; attempt++) {
            String actual = agent.scrape(null).body();
            String expected = real.scrape();
            try {
                assertSameExposition(expected, actual);
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || expected.split("\n").length == actual.split("\n").length) {
                    throw e;
                }
            }
        }
    }

    private static void assertSameExposition(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        assertEquals(e.length, a.length, () -> "line count\n" + expected + "\n----\n" + actual);
        for (int i = 0; i < e.length; i++) {
            if (MOVING.matcher(e[i]).matches()) {
                int cut = e[i].lastIndexOf(' ');
                assertEquals(e[i].substring(0, cut + 1), a[i].substring(0, a[i].lastIndexOf(' ') + 1));
                String value = a[i].substring(a[i].lastIndexOf(' ') + 1);
                String name = e[i].split("[{ ]", 2)[0];
                assertEquals(format(Double.parseDouble(value), name.endsWith("_count")), value, a[i]);
            } else {
                assertEquals(e[i], a[i]);
            }
        }
    }

    private static String format(double d, boolean count) {
        return count ? Long.toString((long) d) : d == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(d);
    }

    @Test
    void theAgentsMetricsAreWrittenAsTheRegistryWritesThem() throws Exception {
        agent = new AgentMetrics("1.2.3", List.of("cert-bundle", "tailnet"));
        PrometheusMeterRegistry real = (PrometheusMeterRegistry) agent.registry();
        agent.recordPass("cert-bundle", Outcome.ok(true, "did it").withChecks(List.of(
                Check.pass("ca: validity", "fine"), Check.warnIfNot(false, "swap", "on"))),
                Duration.ofMillis(12), Instant.ofEpochSecond(1_795_528_244));
        agent.driftCorrected("cert-bundle", "/etc/kubernetes/kubelet.conf");
        assertNotNull(agent.textExposition().write(), "the agent's meters are all handled");
        String scraped = agent.scrape(null).body();
        assertTrue(scraped.contains("node_agent_build_info{java_version="), scraped);
        assertTrue(scraped.contains("jvm_threads_states_threads{state=\"runnable\"}"), scraped);
        assertSameExposition();

        // a new reconciler, new checks (one with quotes and a backslash), a check that disappears
        agent.recordPass("late \"one\"", Outcome.failed("broken", "no").withChecks(List.of(
                Check.failIfNot(false, "path C:\\x \"y\"", "bad"))), Duration.ofMillis(3), Instant.now());
        agent.recordPass("cert-bundle", Outcome.ok(false, "fine").withChecks(List.of(
                Check.pass("ca: validity", "fine"))), Duration.ofMillis(5), Instant.ofEpochSecond(1_795_528_300));
        scraped = agent.scrape(null).body();
        assertTrue(scraped.contains("check=\"path C:\\\\x \\\"y\\\"\",reconciler=\"late \\\"one\\\"\""), scraped);
        assertTrue(!scraped.contains("check=\"swap\""), scraped);
        assertSameExposition();
        assertEquals(AgentMetrics.PROMETHEUS_TEXT, agent.scrape("text/plain").contentType());
        assertEquals(AgentMetrics.OPENMETRICS_TEXT, agent.scrape("application/openmetrics-text").contentType());
        assertTrue(agent.scrape("application/openmetrics-text").body().endsWith("# EOF\n"));

        Map<List<String>, Double> none = new LinkedHashMap<>();
        none.put(List.of("v"), 2.5);
        new GaugeSet(real, "node_agent_extra", "Extra.", Tags.empty(), List.of("k")).replaceAll(none);
        assertTrue(agent.scrape(null).body().contains("node_agent_extra{k=\"v\"} 2.5\n"));
        assertSameExposition();

        // a meter the fast writer leaves to the registry: the scrape comes from the registry, quantiles and all
        Timer.builder("node_agent_test_percentiles").publishPercentiles(0.5).register(real).record(Duration.ofMillis(1));
        assertNull(agent.textExposition().write());
        String fallback = agent.scrape(null).body();
        assertTrue(fallback.contains("node_agent_test_percentiles_seconds{quantile=\"0.5\"}"), fallback);
        assertTrue(fallback.contains("node_agent_build_info{"), fallback);
    }
}
