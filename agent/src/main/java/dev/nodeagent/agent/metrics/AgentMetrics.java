package dev.nodeagent.agent.metrics;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.State;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's Prometheus registry and the metrics every reconciler shares. Reconciler-specific metrics register
 * on {@link #registry()} under the same {@code node_agent_} prefix (or a well-known foreign name, like
 * x509-certificate-exporter's, where standard alert rules expect it).
 *
 * <p>Text 0.0.4 scrapes (the default) come from {@link TextExposition}, on the caller's thread: precomputed lines,
 * fresh values, one byte array (no String, no second UTF-8 encoding in the HTTP layer). OpenMetrics scrapes, and
 * text scrapes when the registry holds a meter TextExposition does not handle, go through the registry's own
 * scrape on one platform thread: the Prometheus text writer grows its buffer on every write when it runs on a
 * virtual thread (Helidon's handler threads), which made scrapes ~30× slower and allocate ~16 MB each. That thread
 * writes into one reused buffer and hands out a copy of the bytes.
 */
public final class AgentMetrics implements AutoCloseable {

    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /**
     * {@link PrometheusConfig#DEFAULT}, except that {@code descriptions()} is a constant: the default method looks the
     * property up (building the key "prometheus.descriptions" and a Validated chain) for every meter of every scrape,
     * ≈10% of a scrape's allocations.
     */
    private static final PrometheusConfig CONFIG = new PrometheusConfig() {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public boolean descriptions() {
            return true;
        }
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(CONFIG);
    private final ExecutorService scraper = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("metrics-scrape").factory());
    /** Written only on the scrape thread. */
    private final ByteArrayOutputStream scrapeBuffer = new ByteArrayOutputStream(32 * 1024);
    private final AtomicLong scrapes = new AtomicLong();
    private final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final CheckMetrics checks = new CheckMetrics(registry);
    /** Text 0.0.4 scrapes; installed before the first meter so that its listeners see every change. */
    private final TextExposition text = new TextExposition(registry);

    public AgentMetrics(String version, List<String> reconcilers) {
        // An info metric, registered on the Prometheus registry itself: Micrometer strips an "_info" suffix.
        InfoSnapshot buildInfo = InfoSnapshot.builder().name("node_agent_build")
                .help("Always 1; the labels say which build is running.")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", version, "java_version", Runtime.version().toString())).build())
                .build();
        registry.getPrometheusRegistry().register(() -> buildInfo);
        text.addFixedFamily(buildInfo);
        // The standard Prometheus process_cpu_seconds_total and the resident set size operators look at first.
        // (Micrometer's ProcessorMetrics would add process.cpu.time in nanoseconds and system.cpu.count, which fail
        // promtool's lint: "abbreviated units", a gauge named _count; RuntimeStats leaves them out.)
        ProcessStats.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // ProcessorMetrics, FileDescriptorMetrics and JvmThreadMetrics, same meters, cheaper per scrape
        RuntimeStats.bindTo(registry, scrapes::get);
        for (String name : reconcilers) {
            AtomicLong okValue = ok.computeIfAbsent(name, n -> new AtomicLong());
            Gauge.builder("node_agent_reconciler_ok", okValue, AtomicLong::get)
                    .description("1 when the reconciler's last pass was ok, 0 when it failed or is waiting.")
                    .tag("reconciler", name).register(registry);
            AtomicLong success = lastSuccess.computeIfAbsent(name, n -> new AtomicLong());
            Gauge.builder("node_agent_last_success_timestamp_seconds", success, AtomicLong::get)
                    .description("Unix time of the reconciler's last ok pass; 0 before the first.")
                    .tag("reconciler", name).register(registry);
            for (State s : List.of(State.OK, State.WAITING, State.FAILED)) {
                passes(name, s.wire());
            }
            for (String t : TRIGGERS) {
                triggers(name, t);
            }
        }
    }

    /** The {@code trigger} tag values of {@code node_agent_reconcile_trigger_total} (the engine's Trigger, in wire form). */
    public static final List<String> TRIGGERS = List.of("start", "interval", "retry", "watch", "resync");

    /** Counts one pass about to start, by what started it. */
    public void recordTrigger(String reconciler, String trigger) {
        triggers(reconciler, trigger).increment();
    }

    private Counter triggers(String reconciler, String trigger) {
        return Counter.builder("node_agent_reconcile_trigger")
                .description("Passes by what started them: start, interval (safety resync), retry (backoff after a "
                        + "failure), watch (a watched file or the network changed), resync (agentctl resync).")
                .tag("reconciler", reconciler).tag("trigger", trigger).register(registry);
    }

    /** Counts and times one finished pass. */
    public void recordPass(String reconciler, Outcome outcome, Duration duration, Instant finishedAt) {
        passes(reconciler, outcome.state().wire()).increment();
        checks.record(reconciler, outcome.checks());
        Timer.builder("node_agent_reconcile_duration")
                .description("Wall time of reconcile passes.")
                .tag("reconciler", reconciler).register(registry).record(duration);
        if (outcome.changed()) {
            Counter.builder("node_agent_reconcile_changes")
                    .description("Passes that had to change something on the host.")
                    .tag("reconciler", reconciler).register(registry).increment();
        }
        ok.computeIfAbsent(reconciler, n -> new AtomicLong()).set(outcome.state() == State.OK ? 1 : 0);
        if (outcome.state() == State.OK) {
            lastSuccess.computeIfAbsent(reconciler, n -> new AtomicLong()).set(finishedAt.getEpochSecond());
        }
    }

    /**
     * Counts one host file that someone changed behind the agent's back (a hand edit, a chmod, a deletion) and
     * that {@code reconciler} put back. {@code path} is the host path as configured, never file content.
     */
    public void driftCorrected(String reconciler, String path) {
        Counter.builder("node_agent_drift_corrected")
                .description("Files changed by hand (or deleted) that a reconciler put back.")
                .tag("reconciler", reconciler).tag("path", path).register(registry).increment();
    }

    /** The text 0.0.4 writer (tests compare it with the registry's own scrape). */
    TextExposition textExposition() {
        return text;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A scrape in the format the {@code Accept} header asks for: OpenMetrics if it names it, else text 0.0.4. */
    public Scrape scrape(String accept) throws InterruptedException {
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        scrapes.incrementAndGet(); // one generation per scrape, whichever writer serves it
        if (type.equals(PROMETHEUS_TEXT)) {
            // on the caller's (virtual) thread: TextExposition writes into its own byte array, and a hop to the
            // scrape thread costs two wake-ups
            byte[] fast = text.write();
            if (fast != null) {
                return new Scrape(type, fast);
            }
        }
        try {
            return new Scrape(type, scraper.submit(() -> scrapeBytes(type)).get());
        } catch (ExecutionException e) {
            throw new IllegalStateException("metrics scrape failed", e.getCause());
        }
    }

    private byte[] scrapeBytes(String type) throws java.io.IOException {
        scrapeBuffer.reset();
        registry.scrape(scrapeBuffer, type);
        return scrapeBuffer.toByteArray();
    }

    /** Content type and UTF-8 bytes of one scrape. */
    public record Scrape(String contentType, byte[] bytes) {
        /** The exposition as text. */
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Counter passes(String reconciler, String result) {
        return Counter.builder("node_agent_reconcile")
                .description("Reconcile passes by result (ok, waiting, failed).")
                .tag("reconciler", reconciler).tag("result", result).register(registry);
    }

    @Override
    public void close() {
        scraper.shutdownNow();
        registry.close();
    }
}
